import Logging
import StewardProtocol

extension JobSupervisor {
    /// What start-up found in the spool.
    public struct RecoveryReport: Sendable, Hashable {
        /// Results stored before the restart, waiting to be delivered.
        public var results = 0
        /// Jobs that were running when the agent died.
        public var lost = 0
        /// Of those, the ones whose processes were still running, and were killed.
        public var killed = 0
        /// Reboot jobs decided by the boot id (succeeded or failed).
        public var reboots = 0
    }

    static let lostJobError = LeftoverProcessGroup.lostError(.notRecorded)

    /// Reads the spool left by the previous agent process: stored results wait for delivery after
    /// Welcome, a reboot is judged by the boot id, and a job with no result died with the agent.
    /// Call once, before the first connection.
    @discardableResult
    public func recover() throws -> RecoveryReport {
        var report = RecoveryReport()
        for id in try spool.jobIDs() where runs[id] == nil {
            let state: SpoolEntryState?
            do {
                state = try spool.state(id)
            } catch {
                // A corrupt entry cannot be trusted for anything but "it was there".
                logger.error("corrupt spool entry", metadata: ["job.id": "\(id)", "error": "\(error)"])
                state = .pending(nil)
            }
            let time = now()
            switch state {
            case nil:
                continue
            case .finished:
                report.results += 1
            case .pending:
                report.lost += 1
                let verdict = LeftoverProcessGroup.end(
                    (try? spool.processGroup(id)) ?? nil, currentBootID: try? executor.toolkit.bootID())
                if case .killed = verdict { report.killed += 1 }
                logger.warning("job was running when the agent stopped: reporting it lost", metadata: [
                    "job.id": "\(id)", "job.process_group": "\(verdict)",
                ])
                store(id, JobResultBuilder.failure(
                    jobID: id.rawValue, status: .lost, error: LeftoverProcessGroup.lostError(verdict), startedMs: 0,
                    finishedMs: time))
            case .rebooting(let marker, _):
                report.reboots += 1
                let result: Wire.JobResult
                do {
                    result = RebootVerdict.decide(
                        marker: marker, currentBootID: try executor.toolkit.bootID(), jobID: id.rawValue, now: time)
                } catch {
                    result = JobResultBuilder.failure(
                        jobID: id.rawValue, status: .failed, error: "cannot read the boot id after the reboot: \(error)",
                        startedMs: marker.requestedAtMilliseconds, finishedMs: time)
                }
                logger.notice("reboot job decided", metadata: ["job.id": "\(id)", "job.status": "\(result.status)"])
                store(id, result)
            }
            finished.insert(id)
            noteFinishedOutput(id, enforce: false)
        }
        enforceSpoolBudget()
        return report
    }

    private func store(_ id: SpoolJobID, _ result: Wire.JobResult) {
        do {
            try spool.writeResult(id, result)
            try spool.removeRebootMarker(id)
        } catch {
            logger.error("cannot spool the result", metadata: ["job.id": "\(id)", "error": "\(error)"])
        }
    }

    /// Stops taking jobs, cancels the running ones (killing their process groups) and waits until
    /// their results are in the spool. A reboot under way is left for the next start to decide.
    public func shutdown() async {
        shuttingDown = true
        let time = now()
        for id in queue {
            finish(id, JobResultBuilder.failure(
                jobID: id.rawValue, status: .cancelled, error: "the agent stopped before the job started",
                startedMs: time, finishedMs: time))
        }
        queue.removeAll()
        let tasks = runs.values.compactMap(\.task)
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    /// Number of jobs running now (for status and tests).
    public var runningJobs: Int { runningCount }
}
