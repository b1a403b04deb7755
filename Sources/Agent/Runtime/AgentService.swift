import Logging
import NIOCore
import ServiceLifecycle
import StewardProtocol

/// The agent's long-running service: connect → session → wait → connect again, until graceful
/// shutdown, which also stops the running jobs and leaves their results in the spool.
///
/// Between sessions it waits a full-jitter backoff (0.5 s to 60 s), never less than a GoAway's
/// retry-after, and starts from the bottom again after a session that lasted more than 30 s.
public struct AgentService: Service, CustomStringConvertible {
    public var description: String { "AgentService" }

    /// Timings of the reconnect loop.
    public struct Configuration: Sendable {
        public var backoff: ReconnectBackoff
        /// A session established at least this long resets the backoff.
        public var stableSession: Duration
        public var heartbeat: HeartbeatPolicy

        public init(
            backoff: ReconnectBackoff = ReconnectBackoff(baseMilliseconds: 500, capMilliseconds: 60_000),
            stableSession: Duration = .seconds(30),
            heartbeat: HeartbeatPolicy = .default
        ) {
            self.backoff = backoff
            self.stableSession = stableSession
            self.heartbeat = heartbeat
        }
    }

    let configuration: Configuration
    /// Opens one connection (production: a `ControllerConnector` built afresh, so a renewed
    /// certificate takes effect on the next connection).
    let connect: @Sendable () async throws -> ControllerChannel
    let makeHello: @Sendable () async -> Wire.Hello
    let supervisor: JobSupervisor
    let renewal: CertificateRenewal?
    let now: @Sendable () -> Int64
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    public init(
        configuration: Configuration = Configuration(),
        connect: @escaping @Sendable () async throws -> ControllerChannel,
        makeHello: @escaping @Sendable () async -> Wire.Hello,
        supervisor: JobSupervisor,
        renewal: CertificateRenewal?,
        now: @escaping @Sendable () -> Int64 = CommandRunner.Configuration.systemWallClockMillis,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger
    ) {
        self.configuration = configuration
        self.connect = connect
        self.makeHello = makeHello
        self.supervisor = supervisor
        self.renewal = renewal
        self.now = now
        self.sleep = sleep
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.reconnectLoop() }
        } catch is CancellationError where Task.isShuttingDownGracefully {
            logger.info("agent shutting down")
        } catch {
            await supervisor.shutdown()
            throw error
        }
        await supervisor.shutdown()
    }

    private func reconnectLoop() async throws {
        var backoff = configuration.backoff
        while true {
            try Task.checkCancellation()
            let outcome = await attempt()
            try Task.checkCancellation()
            if outcome.wasEstablished, outcome.establishedFor >= configuration.stableSession {
                backoff.reset()
            }
            let floor = outcome.reconnectAfter.map { $0.nanoseconds / 1_000_000 } ?? 0
            let delay = backoff.next(floorMilliseconds: floor)
            report(outcome, delayMilliseconds: delay)
            try await sleep(.milliseconds(delay))
        }
    }

    private func attempt() async -> AgentSession.Outcome {
        let channel: ControllerChannel
        do {
            channel = try await connect()
        } catch {
            return AgentSession.Outcome(reason: "\(error)")
        }
        let session = AgentSession(
            channel: channel, hello: await makeHello(), supervisor: supervisor, renewal: renewal,
            heartbeat: configuration.heartbeat, now: now, logger: logger)
        return await session.run()
    }

    private func report(_ outcome: AgentSession.Outcome, delayMilliseconds: Int64) {
        var metadata: Logger.Metadata = ["reconnect.delay_ms": "\(delayMilliseconds)"]
        if let reason = outcome.reason { metadata["reason"] = "\(reason)" }
        if let error = outcome.controllerError {
            metadata["controller.error_code"] = "\(error.code)"
            metadata["controller.error"] = "\(error.message)"
            switch error.code {
            case .revoked, .unauthenticated, .enrollmentRefused:
                // Retrying keeps a wrongly revoked agent recoverable; the log says why it is idle.
                logger.error("the controller refuses this agent; it will keep retrying", metadata: metadata)
                return
            default:
                break
            }
        }
        if outcome.wasEstablished {
            logger.warning("session ended", metadata: metadata)
        } else {
            logger.warning("could not start a session", metadata: metadata)
        }
    }
}
