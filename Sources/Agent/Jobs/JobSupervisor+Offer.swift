import Logging
import StewardProtocol

extension JobSupervisor {
    /// Rejection codes the agent adds to `JobVerificationError`'s.
    public enum RejectionCode {
        public static let policyDenied = "policy_denied"
        public static let invalidJobID = "invalid_job_id"
        /// The agent could not record the offer (replay cache or spool write failed).
        public static let agentError = "agent_error"
        public static let shuttingDown = "shutting_down"
    }

    func receivedOffer(_ offer: Wire.JobOffer) {
        // The id is read before verification only to recognise a re-offer of a job we already have;
        // it then serves as a lookup key (validated), never to run anything.
        let claimedID = (try? Wire.JobSpec(serializedBytes: offer.spec))?.jobID ?? ""
        if let id = try? SpoolJobID(claimedID), runs[id] != nil || finished.contains(id) || spool.contains(id) {
            receivedDuplicate(id)
            return
        }
        // Before verification: a refused offer must stay acceptable after the restart.
        guard !shuttingDown else {
            reject(jobID: claimedID, code: RejectionCode.shuttingDown, reason: "the agent is stopping")
            return
        }
        let spec: Wire.JobSpec
        do {
            spec = try replayCache.verify(offer, with: verifier, nowMilliseconds: now())
        } catch let error as JobVerificationError {
            reject(jobID: claimedID, code: error.code.raw, reason: error.reason)
            return
        } catch {
            reject(jobID: claimedID, code: RejectionCode.agentError, reason: "cannot record the offer: \(error)")
            return
        }
        let id: SpoolJobID
        do {
            id = try SpoolJobID(spec.jobID)
        } catch {
            reject(jobID: spec.jobID, code: RejectionCode.invalidJobID, reason: error.detail)
            return
        }
        switch authorizer.decide(spec) {
        case .deny(let code, let reason):
            logger.notice("job denied by local policy", metadata: ["job.id": "\(id)", "policy.code": "\(code)"])
            reject(jobID: spec.jobID, code: RejectionCode.policyDenied, reason: reason)
        case .allow(let plan):
            accept(id, spec: spec, plan: plan)
        }
    }

    /// A re-offer (the controller did not see our answer): never run twice, answer again instead.
    private func receivedDuplicate(_ id: SpoolJobID) {
        logger.info("job offered again; not running it twice", metadata: ["job.id": "\(id)"])
        if runs[id] != nil {
            var accepted = Wire.JobAccepted()
            accepted.jobID = id.rawValue
            accepted.startedMs = now()
            send(.jobAccepted(accepted))
        } else if finished.contains(id), let link {
            resendFinished(id, on: link)
        }
    }

    private func reject(jobID: String, code: String, reason: String) {
        logger.warning(
            "job rejected",
            metadata: ["job.id": "\(SpoolJobID.loggable(jobID))",
                       "job.reject_code": "\(code)", "job.reject_reason": "\(reason)"])
        var rejected = Wire.JobRejected()
        rejected.jobID = jobID
        rejected.code = code
        rejected.reason = reason
        send(.jobRejected(rejected))
    }

    private func accept(_ id: SpoolJobID, spec: Wire.JobSpec, plan: JobPlan) {
        // An in-process action that starts at once is answered within a millisecond by its result, which
        // carries its start time: announcing it too would cost a message and a store write per run for a
        // state nobody sees, and spooling it a file and two fsyncs for a job that leaves nothing behind
        // (if the agent dies meanwhile, the controller finds it missing from the spool and reports it lost).
        // Anything that runs a command, or waits for a slot, is spooled and announced.
        let startsAtOnce = !shuttingDown && runningCount < configuration.maxConcurrentJobs && queue.isEmpty
        let answeredByResult = plan.isInProcess && startsAtOnce
        if !answeredByResult {
            do {
                try spool.create(id, spec: spec)
            } catch {
                reject(jobID: id.rawValue, code: RejectionCode.agentError, reason: "cannot spool the job: \(error)")
                return
            }
        }
        runs[id] = Run(spec: spec, plan: plan, spooled: !answeredByResult)
        queue.append(id)
        if !answeredByResult {
            var accepted = Wire.JobAccepted()
            accepted.jobID = id.rawValue
            accepted.startedMs = now()
            send(.jobAccepted(accepted))
        }
        logger.info("job accepted", metadata: ["job.id": "\(id)", "job.requested_by": "\(spec.requestedBy)"])
        startQueuedJobs()
    }

    /// Starts queued jobs while slots are free.
    func startQueuedJobs() {
        while !shuttingDown, runningCount < configuration.maxConcurrentJobs, !queue.isEmpty {
            start(queue.removeFirst())
        }
    }

    private func start(_ id: SpoolJobID) {
        guard var run = runs[id] else { return }
        runningCount += 1
        run.phase = .running
        let plan = run.plan
        let executor = self.executor
        let recordGroup = processGroupRecorder(id)
        run.task = Task {
            let execution = await executor.run(
                plan, jobID: id.rawValue,
                sink: { chunk in await self.recordOutput(id, chunk) },
                processStarted: recordGroup,
                markRebooting: { marker in try await self.markRebooting(id, marker) })
            self.completed(id, execution)
        }
        runs[id] = run
    }

    /// Writes the group of the job's command into its spool entry as soon as it starts (see `recover()`).
    private func processGroupRecorder(_ id: SpoolJobID) -> @Sendable (Int32) -> Void {
        let spool = self.spool, logger = self.logger, toolkit = executor.toolkit
        return { group in
            // Read here, when a process did start, not for every job (most never start one).
            guard let bootID = try? toolkit.bootID() else { return }
            #if os(Linux)
            let started = ProcessTable.startTime(of: group)
            #else
            let started: UInt64? = nil
            #endif
            do {
                try spool.writeProcessGroup(id, JobProcessGroup(id: group, bootID: bootID, leaderStartTime: started))
            } catch {
                logger.error("cannot record the job's process group", metadata: ["job.id": "\(id)", "error": "\(error)"])
            }
        }
    }

    private func markRebooting(_ id: SpoolJobID, _ marker: RebootMarker) throws {
        try spool.writeRebootMarker(id, marker)
        logger.notice("rebooting the host", metadata: ["job.id": "\(id)", "host.boot_id": "\(marker.bootID)"])
    }

    private func completed(_ id: SpoolJobID, _ execution: JobExecution) {
        runningCount -= 1
        switch execution {
        case .awaitingReboot where runs[id]?.cancelRequested == true && !shuttingDown:
            // Cancelled by the controller and the agent lives on: the reboot did not go ahead.
            let time = now()
            finish(id, JobResultBuilder.failure(
                jobID: id.rawValue, status: .cancelled, error: "cancelled; the reboot was stopped",
                startedMs: time, finishedMs: time))
        case .awaitingReboot:
            runs[id]?.phase = .awaitingReboot
            runs[id]?.task = nil
        case .finished(var result):
            if shuttingDown, result.status == .cancelled, runs[id]?.cancelRequested == false {
                result.error = "the agent stopped while the job was running; the process group was killed"
            }
            finish(id, result)
        }
        startQueuedJobs()
    }

    func receivedCancel(jobID: String) {
        guard let id = try? SpoolJobID(jobID), let run = runs[id] else {
            logger.debug("cancel for a job that is not running", metadata: ["job.id": "\(SpoolJobID.loggable(jobID))"])
            return
        }
        switch run.phase {
        case .queued:
            queue.removeAll { $0 == id }
            let time = now()
            finish(id, JobResultBuilder.failure(
                jobID: id.rawValue, status: .cancelled, error: "cancelled before it started", startedMs: time, finishedMs: time))
        case .running:
            logger.info("cancelling job", metadata: ["job.id": "\(id)"])
            runs[id]?.cancelRequested = true
            run.task?.cancel()
        case .awaitingReboot:
            logger.notice("cannot cancel a reboot already under way", metadata: ["job.id": "\(id)"])
        }
    }
}
