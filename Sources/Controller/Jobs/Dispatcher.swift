import Crypto
import Foundation
import Logging
import StewardProtocol

/// Turns job requests into signed offers, tracks every run to exactly one final state, and
/// commits what agents report before acknowledging it.
public actor Dispatcher {
    let database: StewardDatabase
    let registry: AgentRegistry
    let signer: JobSigner
    let now: @Sendable () -> Date
    let logger: Logger
    /// Extra time a running job's agent gets to come back and report after its timeout.
    let resultGrace: Duration
    /// Where finished jobs and lost agents are announced (notifications).
    public nonisolated let events: ControllerEvents
    /// Jobs submitted and finished, results recorded.
    let metrics: ControllerMetrics
    /// Job slots per agent and output stored per run.
    let limits: ControllerLimits

    public init(
        database: StewardDatabase,
        registry: AgentRegistry,
        signer: JobSigner,
        resultGrace: Duration = .seconds(600),
        limits: ControllerLimits = .default,
        events: ControllerEvents = ControllerEvents(),
        metrics: ControllerMetrics = ControllerMetrics(),
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.events = events
        self.metrics = metrics
        self.database = database
        self.registry = registry
        self.signer = signer
        self.resultGrace = resultGrace
        self.limits = limits
        self.logger = logger
        self.now = now
    }

    /// Resolves the targets, stores the job and its runs, and offers it to the agents that are online.
    public func submit(_ request: JobRequest) async throws -> JobRecord {
        let agents = try await database.targets(request.target)
        guard !agents.isEmpty else { throw JobRequestError("no enrolled agent matches '\(request.target)'") }
        let created = now()
        let job = JobRecord(
            id: StewardID.make(now: created),
            createdAt: created,
            requestedBy: request.requestedBy,
            source: request.source,
            commandText: request.action.commandText,
            action: try JSONEncoder().encode(request.action),
            target: request.target.description,
            batchSize: request.batch.map { $0.resolve(total: agents.count) },
            maxErrors: request.maxErrors.map { $0.resolve(total: agents.count) },
            timeoutMs: Int64(request.timeout.components.seconds * 1000 + request.timeout.components.attoseconds / 1_000_000_000_000_000),
            deliveryDeadline: created.addingTimeInterval(Double(request.deliveryWindow.components.seconds)),
            status: .running
        )
        try await database.createJob(job, agentIDs: agents.map(\.id))
        metrics.jobSubmitted(source: request.source)
        logger.info("job submitted", metadata: [
            "job.id": "\(job.id)", "job.action": "\(job.commandText)", "job.targets": "\(agents.count)",
            "job.requested_by": "\(job.requestedBy)",
        ])
        // Every run was just stored as queued: no need to read the job or its queue back.
        try await schedule(job, queued: agents.map(\.id).sorted())
        return job
    }

    /// Offers queued runs of a job to online agents, within its batch size and error budget.
    func schedule(jobID: String) async throws {
        try await schedule(try await database.job(id: jobID))
    }

    /// `queued`: the agents whose runs are queued, when the caller knows them (a job just created).
    func schedule(_ job: JobRecord, queued: [String]? = nil) async throws {
        guard job.status == .running else { return }
        if let maxErrors = job.maxErrors {
            let failures = try await database.failureCount(jobID: job.id)
            if failures > maxErrors {
                _ = try await database.skipQueuedRuns(
                    jobID: job.id, reason: "skipped: \(failures) failures exceed max errors \(maxErrors)", at: now())
                try await finishIfDone(jobID: job.id)
                return
            }
        }
        if job.deliveryDeadline > now() {
            let queued = if let queued { queued } else { try await database.queuedAgentIDs(jobID: job.id) }
            let online = await registry.online(among: queued)
            let claimed = try await database.claimQueuedRuns(
                jobID: job.id, agentIDs: online, batchSize: job.batchSize, perAgentLimit: limits.maxJobsPerAgent, at: now())
            try await sendOffers(job: job, to: claimed)
            // Runs just claimed are in flight, so the job is not done; the last result will finish it.
            if !claimed.isEmpty { return }
        }
        try await finishIfDone(jobID: job.id)
    }

    /// Offers a job again to an agent whose run is already `offered` (the offer may have been lost with
    /// its old connection; the agent ignores a duplicate).
    func reoffer(job: JobRecord, agentID: String) async throws {
        guard job.deliveryDeadline > now(),
              try await database.setRunStatus(jobID: job.id, agentID: agentID, to: .offered, from: [.offered], at: now())
        else { return }
        try await sendOffers(job: job, to: [agentID])
    }

    /// Signs and sends the job to agents whose runs were just claimed for them; a run whose agent went
    /// away between the claim and the send goes back to the queue.
    func sendOffers(job: JobRecord, to agentIDs: [String]) async throws {
        guard !agentIDs.isEmpty else { return }
        let action = try JSONDecoder().decode(JobAction.self, from: job.action).wire
        let notBefore = Int64(now().timeIntervalSince1970 * 1000) - 1000
        var offers: [(agentID: String, message: StewardMessage)] = []
        offers.reserveCapacity(agentIDs.count)
        for agentID in agentIDs {
            var spec = Wire.JobSpec()
            spec.jobID = job.id
            spec.agentID = agentID
            spec.action = action
            spec.requestedBy = job.requestedBy
            spec.notBeforeMs = notBefore
            spec.expiresMs = Int64(job.deliveryDeadline.timeIntervalSince1970 * 1000)
            spec.nonce = SymmetricKey(size: .init(bitCount: 128)).withUnsafeBytes { Data($0) }
            spec.timeoutMs = UInt32(clamping: job.timeoutMs)
            offers.append((agentID, .jobOffer(try signer.sign(spec))))
        }
        for agentID in await registry.send(offers) {
            _ = try await database.setRunStatus(jobID: job.id, agentID: agentID, to: .queued, from: [.offered], at: now())
        }
        logger.debug("job offered", metadata: ["job.id": "\(job.id)", "job.offers": "\(offers.count)"])
    }

    func finishIfDone(jobID: String) async throws {
        if try await database.finishJobIfDone(jobID: jobID, at: now()) { announceFinished(jobID: jobID) }
    }

    func announceFinished(jobID: String) {
        logger.info("job finished", metadata: ["job.id": "\(jobID)"])
        metrics.jobFinished()
        events.emit(.jobFinished(jobID: jobID))
    }

    /// Cancels a job: queued runs end at once, running ones are asked to stop.
    public func cancel(jobID: String, by user: String) async throws -> JobRecord {
        let job = try await database.job(id: jobID)
        for run in try await database.runs(jobID: job.id) where !run.status.isFinal {
            if run.status == .queued {
                _ = try await database.finishRun(
                    jobID: job.id, agentID: run.agentID,
                    result: RunResult(status: .cancelled, error: "cancelled by \(user) before it started", finishedAt: now()))
            } else {
                var cancel = Wire.Cancel()
                cancel.jobID = job.id
                let told = await registry.send(.cancel(cancel), to: run.agentID)
                if !told, run.status == .offered {
                    // Its agent is away; left `offered`, the job would be offered again when the agent reconnects.
                    _ = try await database.finishRun(
                        jobID: job.id, agentID: run.agentID,
                        result: RunResult(status: .cancelled, error: "cancelled by \(user) while its agent was away", finishedAt: now()))
                }
            }
        }
        try await finishIfDone(jobID: job.id)
        logger.info("job cancel requested", metadata: ["job.id": "\(job.id)", "user": "\(user)"])
        return job
    }
}

extension RunStatus {
    /// Final states that count against a job's error budget.
    var countsAsError: Bool {
        switch self {
        case .failed, .timedOut, .rejected, .lost, .undelivered: true
        default: false
        }
    }
}
