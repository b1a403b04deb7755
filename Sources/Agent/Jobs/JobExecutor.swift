import StewardProtocol

/// How a job's run ended, as far as this agent process can tell.
enum JobExecution: Sendable {
    case finished(Wire.JobResult)
    /// The reboot command succeeded and the agent is going down with the host: no result yet; the
    /// next start decides it from the boot id.
    case awaitingReboot
}

/// Carries out one planned job with the toolkit; never throws (every failure is a result).
struct JobExecutor: Sendable {
    let toolkit: JobToolkit
    /// How long the agent waits, after a successful reboot command, for the host to go down.
    let rebootConfirmationTimeout: Duration

    func run(
        _ plan: JobPlan,
        jobID: String,
        sink: @escaping OutputSink,
        processStarted: @escaping ProcessStarted = { _ in },
        markRebooting: @escaping @Sendable (RebootMarker) async throws -> Void
    ) async -> JobExecution {
        let started = toolkit.now()
        do {
            switch plan {
            case .ping:
                let json = try StructuredJSON.encode(PingReply(pong: true, agentTimeMilliseconds: started))
                return .finished(JobResultBuilder.structured(jobID: jobID, json: json, startedMs: started, finishedMs: toolkit.now()))
            case .facts:
                let json = try StructuredJSON.encode(try await toolkit.facts())
                return .finished(JobResultBuilder.structured(jobID: jobID, json: json, startedMs: started, finishedMs: toolkit.now()))
            case .metrics:
                let json = try StructuredJSON.encode(try await toolkit.metrics())
                return .finished(JobResultBuilder.structured(jobID: jobID, json: json, startedMs: started, finishedMs: toolkit.now()))
            case .service(_, _, let spec), .exec(let spec):
                let outcome = try await toolkit.runCommand(spec, sink, processStarted)
                return .finished(JobResultBuilder.command(jobID: jobID, outcome: outcome))
            case .reboot(let spec):
                return try await reboot(
                    spec, jobID: jobID, started: started, sink: sink, processStarted: processStarted, markRebooting: markRebooting)
            }
        } catch {
            return .finished(JobResultBuilder.thrown(error, jobID: jobID, startedMs: started, finishedMs: toolkit.now()))
        }
    }

    private func reboot(
        _ spec: CommandSpec,
        jobID: String,
        started: Int64,
        sink: @escaping OutputSink,
        processStarted: @escaping ProcessStarted,
        markRebooting: @Sendable (RebootMarker) async throws -> Void
    ) async throws -> JobExecution {
        let bootID = try toolkit.bootID()
        // The marker goes to disk before the command: the host may be gone before `run` returns.
        try await markRebooting(RebootMarker(bootID: bootID, requestedAtMilliseconds: started))
        let outcome: CommandOutcome
        do {
            outcome = try await toolkit.runCommand(spec, sink, processStarted)
        } catch is CancellationError {
            return .awaitingReboot
        }
        // Stopped while the command ran: the host is most likely going down (the service manager
        // stops the agent during a reboot); only the boot id can tell, at the next start.
        if outcome.cancelled { return .awaitingReboot }
        guard outcome.termination.isSuccess, !outcome.timedOut else {
            var result = JobResultBuilder.command(jobID: jobID, outcome: outcome)
            if result.status == .failed {
                result.error = "the reboot command failed (\(outcome.termination))"
            }
            return .finished(result)
        }
        do {
            try await toolkit.sleep(rebootConfirmationTimeout)
        } catch {
            // Shutting down, most likely because the host is rebooting: the next start decides.
            return .awaitingReboot
        }
        let current = try toolkit.bootID()
        return .finished(RebootVerdict.decide(marker: RebootMarker(bootID: bootID, requestedAtMilliseconds: started),
                                              currentBootID: current, jobID: jobID, now: toolkit.now()))
    }
}

/// Whether a reboot happened, judged by the boot id the agent sees now against the marker's.
enum RebootVerdict {
    static func decide(marker: RebootMarker, currentBootID: String, jobID: String, now: Int64) -> Wire.JobResult {
        guard currentBootID != marker.bootID else {
            return JobResultBuilder.failure(
                jobID: jobID, status: .failed, error: "reboot did not happen (boot id \(currentBootID) unchanged)",
                startedMs: marker.requestedAtMilliseconds, finishedMs: now)
        }
        let report = RebootReport(
            previousBootID: marker.bootID, bootID: currentBootID,
            downtimeMilliseconds: max(0, now - marker.requestedAtMilliseconds))
        do {
            return JobResultBuilder.structured(
                jobID: jobID, json: try StructuredJSON.encode(report),
                startedMs: marker.requestedAtMilliseconds, finishedMs: now)
        } catch {
            return JobResultBuilder.failure(
                jobID: jobID, status: .failed, error: "cannot encode the reboot report: \(error)",
                startedMs: marker.requestedAtMilliseconds, finishedMs: now)
        }
    }
}
