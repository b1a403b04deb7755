import Foundation
import StewardProtocol

extension Dispatcher {
    /// An agent completed its handshake: reconcile its unfinished runs and offer what waits for it.
    public func agentConnected(agentID: String, hello: Wire.Hello) async throws {
        let known = Set(hello.activeJobIds).union(hello.spooledJobIds)
        for run in try await database.pendingRuns(agentID: agentID) {
            let job = try await database.job(id: run.jobID)
            switch run.status {
            case .queued:
                try await schedule(job)
            case .offered:
                if !known.contains(job.id) {
                    // The offer may have been lost with the old connection; the agent ignores a duplicate.
                    try await reoffer(job: job, agentID: agentID)
                }
            case .running, .rebooting:
                if !known.contains(job.id) {
                    _ = try await database.finishRun(
                        jobID: job.id, agentID: agentID,
                        result: RunResult(status: .lost, error: "the agent reconnected without this job in its spool", finishedAt: now()))
                    try await schedule(jobID: job.id)
                }
            default:
                break
            }
        }
    }

    /// Handles one session message from an agent; returns the replies to send back.
    public func handle(_ message: StewardMessage, from agentID: String) async throws -> [StewardMessage] {
        switch message {
        case .jobAccepted(let accepted):
            let started = accepted.startedMs > 0 ? Date(timeIntervalSince1970: Double(accepted.startedMs) / 1000) : now()
            _ = try await database.setRunStatus(jobID: accepted.jobID, agentID: agentID, to: .running, from: [.queued, .offered], at: started)
            return []

        case .jobRejected(let rejected):
            let finish = try await record(
                RunResult(status: .rejected, error: "\(rejected.code): \(rejected.reason)", finishedAt: now()),
                jobID: rejected.jobID, agentID: agentID)
            if finish.recorded {
                logger.warning("agent rejected job", metadata: [
                    "job.id": "\(rejected.jobID)", "agent.id": "\(agentID)", "reason": "\(rejected.code)",
                ])
            }
            return []

        case .output(let output):
            let stream: OutputStreamKind = output.stream == .stderr ? .stderr : .stdout
            // The offset comes off the wire: converting or adding to it unchecked would trap the whole controller.
            guard let offset = Int64(exactly: output.offset), offset <= Int64.max - Int64(output.data.count) else {
                throw StoreError(.invalidArgument, "output offset \(output.offset) is out of range")
            }
            let committed: Int64
            do {
                committed = try await database.appendOutputTail(
                    jobID: output.jobID, agentID: agentID, stream: stream, offset: offset, data: Data(output.data),
                    limit: limits.maxOutputPerRun)
            } catch let error as StoreError where error.code == .notFound {
                // No such run for this agent (its job was pruned, or the agent is confused): acknowledge
                // so a spooled resend cannot loop, and keep nothing.
                logger.warning("output for an unknown run dropped", metadata: ["job.id": "\(output.jobID)", "agent.id": "\(agentID)"])
                committed = offset + Int64(output.data.count)
            }
            var ack = Wire.OutputAck()
            ack.jobID = output.jobID
            ack.stream = output.stream
            ack.offset = UInt64(committed)
            return [.outputAck(ack)]

        case .jobResult(let result):
            let finish = try await record(RunResult(wire: result), jobID: result.jobID, agentID: agentID)
            if finish.recorded {
                logger.debug("run finished", metadata: [
                    "job.id": "\(result.jobID)", "agent.id": "\(agentID)", "run.status": "\(result.status)",
                ])
            }
            // Acknowledged even when it was a replay: the agent may then drop it from its spool.
            var ack = Wire.ResultAck()
            ack.jobID = result.jobID
            return [.resultAck(ack)]

        case .factsUpdate(let update):
            if let agent = try await database.agent(id: agentID) {
                try await database.updateAgentSession(
                    id: agentID, facts: Data(update.factsJson), version: agent.agentVersion ?? "", bootID: agent.bootID ?? "", lastSeen: now())
            }
            return []

        default:
            return []
        }
    }

    /// Periodic housekeeping: runs that waited too long for their agent, agents that never reported back.
    public func tick() async throws {
        let current = now()
        var touched = Set<String>()
        for key in try await database.expireUndelivered(now: current) { touched.insert(key.jobID) }
        // Runs past their timeout plus the grace period whose agent is still away will never report.
        let graceCutoff = current.addingTimeInterval(-Double(resultGrace.components.seconds))
        for run in try await database.runsNeedingTimeout(now: graceCutoff) {
            if !(await registry.isOnline(run.agentID)) {
                if try await database.finishRun(
                    jobID: run.jobID, agentID: run.agentID,
                    result: RunResult(status: .lost, error: "the agent did not come back with a result", finishedAt: current))
                {
                    touched.insert(run.jobID)
                }
            }
        }
        for jobID in touched { try await schedule(jobID: jobID) }
    }
}

extension Dispatcher {
    /// Records an agent's result for its run, then finishes the job or offers what its pacing now allows.
    /// A result for a run that no longer exists (its job was pruned) is reported as not recorded.
    func record(_ result: RunResult, jobID: String, agentID: String) async throws -> RunFinish {
        let finish: RunFinish
        do {
            finish = try await database.recordResult(jobID: jobID, agentID: agentID, result: result, at: now())
        } catch let error as StoreError where error.code == .notFound {
            return RunFinish(recorded: false, jobFinished: false)
        }
        if finish.recorded { metrics.runResultRecorded(status: result.status) }
        if finish.jobFinished {
            announceFinished(jobID: jobID)
        } else if finish.jobIsPaced {
            // Only a paced job (batch size, error budget) has queued runs waiting on this one.
            try await schedule(jobID: jobID)
        }
        if finish.recorded, !finish.agentQueuedJobIDs.isEmpty {
            try await offerWaitingRuns(agentID: agentID, jobIDs: finish.agentQueuedJobIDs)
        }
        return finish
    }

    /// An agent freed a job slot: offers it its queued runs of these jobs, oldest job first, as far as its
    /// slots allow. Only this agent's runs are claimed, so the cost does not grow with the size of those
    /// jobs; a paced job (batch size, error budget) is scheduled as a whole, which applies its pacing.
    func offerWaitingRuns(agentID: String, jobIDs: [String]) async throws {
        guard await registry.isOnline(agentID) else { return }
        for jobID in jobIDs {
            let job = try await database.job(id: jobID)
            guard job.status == .running else { continue }
            if job.batchSize != nil || job.maxErrors != nil {
                try await schedule(job)
                continue
            }
            guard job.deliveryDeadline > now() else { continue }
            let claimed = try await database.claimQueuedRuns(
                jobID: job.id, agentIDs: [agentID], perAgentLimit: limits.maxJobsPerAgent, at: now())
            guard !claimed.isEmpty else { return }  // no slot left
            try await sendOffers(job: job, to: claimed)
        }
    }
}

extension RunResult {
    /// Maps an agent's wire result to the stored one.
    init(wire result: Wire.JobResult) {
        let status: RunStatus = switch result.status {
        case .succeeded: .succeeded
        case .failed, .unspecified, .UNRECOGNIZED: .failed
        case .timedOut: .timedOut
        case .cancelled: .cancelled
        case .lost: .lost
        case .rejected: .rejected
        }
        self.init(
            status: status,
            exitCode: result.exited ? Int(result.exitCode) : nil,
            signal: result.signal != 0 ? Int(result.signal) : nil,
            error: result.error.isEmpty ? nil : result.error,
            structured: result.structuredJson.isEmpty ? nil : Data(result.structuredJson),
            startedAt: result.startedMs > 0 ? Date(timeIntervalSince1970: Double(result.startedMs) / 1000) : nil,
            finishedAt: result.finishedMs > 0 ? Date(timeIntervalSince1970: Double(result.finishedMs) / 1000) : Date(),
            truncated: result.outputTruncated
        )
    }
}
