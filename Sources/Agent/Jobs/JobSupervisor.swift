import Logging
import StewardProtocol

/// Owns every job on this agent: verifies offers, applies the local policy, runs jobs (at most
/// `maxConcurrentJobs` at once), streams their output, and keeps each result in the spool until
/// the controller acknowledges it.
///
/// It outlives connections: `connected(send:)` hands it the current session's send function,
/// `disconnected(generation:)` takes it away. Everything it sends goes through that function
/// synchronously, so the messages of one job leave in order (accepted → output → result) without
/// interleaving across actor suspensions.
public actor JobSupervisor {
    /// Limits and timings of the supervisor.
    public struct Configuration: Sendable {
        public var maxConcurrentJobs: Int
        /// After a successful reboot command, how long to wait for the host to go down before
        /// calling the reboot failed.
        public var rebootConfirmationTimeout: Duration
        /// Largest `Output` chunk sent.
        public var maxOutputChunk: Int
        /// Output bytes the spool keeps for finished jobs awaiting acknowledgement (see `enforceSpoolBudget`).
        public var spoolMaxBytes: UInt64

        public init(
            maxConcurrentJobs: Int = 4,
            rebootConfirmationTimeout: Duration = .seconds(900),
            maxOutputChunk: Int = ProtocolLimits.default.maxOutputChunk,
            spoolMaxBytes: UInt64 = 256 << 20
        ) {
            precondition(maxConcurrentJobs > 0 && maxOutputChunk > 0 && spoolMaxBytes > 0)
            self.maxConcurrentJobs = maxConcurrentJobs
            self.rebootConfirmationTimeout = rebootConfirmationTimeout
            self.maxOutputChunk = maxOutputChunk
            self.spoolMaxBytes = spoolMaxBytes
        }
    }

    /// Queues one message on the current connection; never blocks.
    public typealias Send = @Sendable (StewardMessage) -> Void

    /// A job accepted and not finished.
    struct Run {
        enum Phase { case queued, running, awaitingReboot }

        var spec: Wire.JobSpec
        var plan: JobPlan
        var phase: Phase = .queued
        var task: Task<Void, Never>?
        /// Bytes of each stream sent on connection `sentGeneration`; on a newer connection,
        /// sending restarts from the acked offsets.
        var sent: [OutputStreamKind: UInt64] = [:]
        var sentGeneration = 0
        var cancelRequested = false
        /// Whether its spool entry exists. An in-process action started at once has nothing to spool
        /// while it runs (no output, no process): its entry is made with its result.
        var spooled = true
    }

    struct Link {
        var generation: Int
        var send: Send
    }

    let configuration: Configuration
    let spool: ResultSpool
    var replayCache: PersistentReplayCache
    let verifier: JobVerifier
    let authorizer: JobAuthorizer
    let executor: JobExecutor
    let now: @Sendable () -> Int64
    let logger: Logger

    var runs: [SpoolJobID: Run] = [:]
    var queue: [SpoolJobID] = []
    var runningCount = 0
    /// Results in the spool awaiting `ResultAck`.
    var finished: Set<SpoolJobID> = []
    /// Output bytes in the spool per finished job (what `enforceSpoolBudget` may drop).
    var finishedOutputBytes: [SpoolJobID: UInt64] = [:]
    /// Output offsets the controller confirmed, per job and stream: resends start there.
    var acked: [SpoolJobID: [OutputStreamKind: UInt64]] = [:]
    var link: Link?
    var generation = 0
    var shuttingDown = false

    public init(
        configuration: Configuration = Configuration(),
        spool: ResultSpool,
        replayCache: PersistentReplayCache,
        verifier: JobVerifier,
        authorizer: JobAuthorizer,
        toolkit: JobToolkit,
        logger: Logger
    ) {
        self.configuration = configuration
        self.spool = spool
        self.replayCache = replayCache
        self.verifier = verifier
        self.authorizer = authorizer
        self.executor = JobExecutor(toolkit: toolkit, rebootConfirmationTimeout: configuration.rebootConfirmationTimeout)
        self.now = toolkit.now
        self.logger = logger
    }

    /// Job ids for `Hello`: results waiting in the spool, and jobs accepted but not finished.
    public func inventory() -> (spooledJobIDs: [String], activeJobIDs: [String]) {
        (finished.sorted().map(\.rawValue), runs.keys.sorted().map(\.rawValue))
    }

    /// The session is established: send on it from now on, starting with what it missed
    /// (output of running jobs and spooled results). Returns the connection's generation.
    @discardableResult
    public func connected(send: @escaping Send) -> Int {
        generation += 1
        let current = Link(generation: generation, send: send)
        link = current
        for id in runs.keys.sorted() {
            catchUp(id, on: current)
        }
        for id in finished.sorted() {
            resendFinished(id, on: current)
        }
        return generation
    }

    /// The connection `generation` ended; output and results stay in the spool until the next one.
    public func disconnected(generation: Int) {
        if link?.generation == generation { link = nil }
    }

    /// A message the session state machine delivered.
    public func handle(_ message: StewardMessage) {
        switch message {
        case .jobOffer(let offer):
            receivedOffer(offer)
        case .cancel(let cancel):
            receivedCancel(jobID: cancel.jobID)
        case .outputAck(let ack):
            receivedOutputAck(ack)
        case .resultAck(let ack):
            receivedResultAck(jobID: ack.jobID)
        default:
            logger.debug("supervisor ignores message", metadata: ["message": "\(message.name)"])
        }
    }

    func send(_ message: StewardMessage) {
        link?.send(message)
    }
}
