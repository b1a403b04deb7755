import Logging
import NIOCore
import NIOPosix
import NIOSSL
import StewardProtocol

/// Many agent identities in one process, for benchmarks: `steward-agent simulate --count N`.
///
/// Each identity has its own key, certificate, state directory (`DIR/<name>`) and TLS connection,
/// and runs the real `AgentService` / `AgentSession` / `JobSupervisor` (signatures verified,
/// replay cache, results spooled and acknowledged as usual). Only the host is simulated
/// (`SimulatedHost`): canned facts and metrics, a fixed exec reply (optionally streamed in chunks). The spool is the real on-disk
/// one; put `DIR` on tmpfs to keep its fsyncs out of the figures. All connections share one event
/// loop group.
public struct SimulatedFleet: Sendable {
    /// What to simulate.
    public struct Configuration: Sendable, Hashable {
        public var count: Int
        /// Parent of the identities' state directories.
        public var stateDirectory: String
        public var namePrefix: String
        public var execReply: String
        /// Every exec prints `execReply` this many times, `execInterval` apart (one output chunk each).
        public var execChunks: Int
        public var execInterval: Duration
        /// Enrollments in flight at once.
        public var enrollConcurrency: Int
        public var maxConcurrentJobs: Int

        public init(
            count: Int, stateDirectory: String, namePrefix: String = "sim-", execReply: String = "simulated\n",
            execChunks: Int = 1, execInterval: Duration = .zero, enrollConcurrency: Int = 32, maxConcurrentJobs: Int = 4
        ) {
            self.count = count
            self.stateDirectory = stateDirectory
            self.namePrefix = namePrefix
            self.execReply = execReply
            self.execChunks = execChunks
            self.execInterval = execInterval
            self.enrollConcurrency = enrollConcurrency
            self.maxConcurrentJobs = maxConcurrentJobs
        }
    }

    public let configuration: Configuration
    public let eventLoopGroup: any EventLoopGroup
    public let logger: Logger

    public init(configuration: Configuration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) throws {
        guard configuration.count > 0, configuration.enrollConcurrency > 0, configuration.maxConcurrentJobs > 0,
            configuration.execChunks > 0
        else {
            throw AgentRuntimeError(.invalidArgument, "count, enroll concurrency, concurrent jobs and exec chunks must be positive")
        }
        guard configuration.execInterval >= .zero else {
            throw AgentRuntimeError(.invalidArgument, "the exec interval cannot be negative")
        }
        if let problem = EnrollmentRequest.problem(withName: Self.name(prefix: configuration.namePrefix, index: 0)) {
            throw AgentRuntimeError(.invalidArgument, "name prefix '\(configuration.namePrefix)': \(problem)")
        }
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// `sim-00000`, `sim-00001`, ...: zero-padded so names sort in index order.
    public static func name(prefix: String, index: Int) -> String {
        let digits = String(index)
        return prefix + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    public var names: [String] { (0..<configuration.count).map { Self.name(prefix: configuration.namePrefix, index: $0) } }

    func host(_ name: String) -> SimulatedHost {
        SimulatedHost(
            name: name, bootID: "simulated-boot-\(name)",
            exec: SimulatedExec(reply: configuration.execReply, chunks: configuration.execChunks, interval: configuration.execInterval))
    }

    func state(_ name: String) -> AgentStateDirectory {
        AgentStateDirectory(path: configuration.stateDirectory + "/" + name)
    }

    /// Enrolls every identity not enrolled yet (a re-run reconnects the stored ones), at most
    /// `enrollConcurrency` at a time. `progress(done, total)` follows each one. Returns how many
    /// were enrolled now; a nil token is fine when all are enrolled already.
    @discardableResult
    public func enrollMissing(token: String?, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        try SecureFile.ensurePrivateDirectory(configuration.stateDirectory)
        let missing = names.filter { !state($0).isEnrolled }
        guard !missing.isEmpty else { return 0 }
        guard let token else {
            throw AgentRuntimeError(.notEnrolled, "\(missing.count) simulated agents are not enrolled yet: pass --token")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = missing[...]
            var done = 0
            func startNext() {
                guard let name = pending.popFirst() else { return }
                group.addTask { try await self.enroll(name, token: token) }
            }
            for _ in 0..<configuration.enrollConcurrency { startNext() }
            while try await group.next() != nil {
                done += 1
                progress(done, missing.count)
                startNext()
            }
        }
        return missing.count
    }

    private func enroll(_ name: String, token: String) async throws {
        let host = host(name)
        let enroller = Enroller(stateDirectory: state(name), facts: { host.facts }, eventLoopGroup: eventLoopGroup, logger: logger)
        do {
            _ = try await enroller.enroll(EnrollmentRequest(token: token, name: name))
        } catch {
            throw AgentRuntimeError(.refused, "cannot enroll simulated agent \(name): \(error)")
        }
    }

    /// One agent service per enrolled identity, ready for a `ServiceGroup`.
    public func makeServices(configuration service: AgentService.Configuration = AgentService.Configuration()) async throws -> [AgentService] {
        var services: [AgentService] = []
        services.reserveCapacity(configuration.count)
        for name in names {
            services.append(try await makeService(name, configuration: service))
        }
        return services
    }

    /// The same assembly as `AgentRuntime.makeService`, with the simulated host in place of /proc
    /// and the local policy.
    func makeService(_ name: String, configuration service: AgentService.Configuration) async throws -> AgentService {
        let state = state(name)
        try state.prepare()
        let identity = try AgentIdentity.load(from: state)
        var logger = self.logger
        logger[metadataKey: "agent.name"] = "\(name)"
        let host = host(name)
        let verifier: JobVerifier
        do {
            verifier = try JobVerifier(publicKey: identity.jobSigningKey, agentID: identity.record.agentID)
        } catch {
            throw AgentRuntimeError(.corruptState, "\(name): the stored job-signing key is unusable: \(error)")
        }
        let supervisor = JobSupervisor(
            configuration: .init(maxConcurrentJobs: configuration.maxConcurrentJobs),
            spool: try ResultSpool(directory: state.spoolDirectory),
            replayCache: try PersistentReplayCache(path: state.replayCachePath),
            verifier: verifier,
            authorizer: SimulatedHost.authorizer,
            toolkit: host.toolkit(),
            logger: logger)
        _ = try await supervisor.recover()
        let endpoint = try ControllerEndpoint(parsing: identity.record.controller)
        let group = eventLoopGroup
        return AgentService(
            configuration: service,
            connect: {
                let certificate = try state.readState(state.certificatePath, what: "agent certificate")
                let context = try NIOSSLContext(configuration: try AgentTLS.sessionConfiguration(
                    caDER: identity.caDER, certificateDER: certificate, privateKey: identity.keyPair.privateKey))
                let connector = ControllerConnector(endpoint: endpoint, eventLoopGroup: group) {
                    try AgentTLS.makeSessionHandler(context: context)
                }
                return try await connector.connect()
            },
            makeHello: { await host.hello(supervisor: supervisor) },
            supervisor: supervisor,
            renewal: .live(state: state, identity: identity),
            logger: logger)
    }
}
