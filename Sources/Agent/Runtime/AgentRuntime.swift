import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import StewardProtocol

/// The entry points `steward-agent` calls: enroll, run, status.
public enum AgentRuntime {
    /// `steward-agent enroll`: enrolls with the controller named in the token and stores the
    /// identity in `stateDirectory`. Returns what was stored.
    public static func enroll(
        token: String,
        name: String,
        stateDirectory: String = AgentStateDirectory.defaultPath,
        force: Bool = false,
        logger: Logger
    ) async throws -> AgentRecord {
        let facts = FactsCollector(agentVersion: StewardVersion.current)
        let enroller = Enroller(
            stateDirectory: AgentStateDirectory(path: stateDirectory), facts: { try facts.collect() }, logger: logger)
        return try await enroller.enroll(EnrollmentRequest(token: token, name: name, force: force))
    }

    /// `steward-agent run`: loads the identity and the policy, then runs the agent service until
    /// SIGTERM or SIGINT (graceful: running jobs are stopped and their results spooled).
    public static func run(
        stateDirectory: String = AgentStateDirectory.defaultPath,
        policyPath: String = AgentPolicy.defaultPath,
        logger: Logger
    ) async throws {
        let policy: AgentPolicy
        do {
            policy = try AgentPolicy.load(from: policyPath)
        } catch {
            throw AgentRuntimeError(.invalidArgument, "invalid agent policy: \(error)")
        }
        let service = try await makeService(
            stateDirectory: AgentStateDirectory(path: stateDirectory), policy: policy, logger: logger)
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    /// `steward-agent status`: a printable summary; reads the state directory without changing it.
    public static func status(
        stateDirectory: String = AgentStateDirectory.defaultPath,
        nowMilliseconds: Int64 = CommandRunner.Configuration.systemWallClockMillis()
    ) -> AgentStatus {
        AgentStatus.read(stateDirectory: AgentStateDirectory(path: stateDirectory), nowMilliseconds: nowMilliseconds)
    }

    /// Assembles the agent service for an enrolled state directory (also used by `steward demo`
    /// to run agents inside its own service group). Start-up recovery of the spool happens here.
    public static func makeService(
        stateDirectory state: AgentStateDirectory,
        policy: AgentPolicy,
        configuration: AgentService.Configuration = AgentService.Configuration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger baseLogger: Logger
    ) async throws -> AgentService {
        try state.prepare()
        let identity = try AgentIdentity.load(from: state)
        var agentLogger = baseLogger
        agentLogger[metadataKey: "agent.id"] = "\(identity.record.agentID)"
        let logger = agentLogger

        let runner = CommandRunner(logger: logger)
        let facts = FactsCollector(agentVersion: StewardVersion.current, bootIDPath: policy.system.bootIDFile)
        let serviceManager = ServiceManager(
            runner: runner, argv: policy.system.serviceManager,
            timeout: policy.limits.defaultTimeout, outputLimit: policy.limits.outputMaxBytes)
        let verifier: JobVerifier
        do {
            verifier = try JobVerifier(publicKey: identity.jobSigningKey, agentID: identity.record.agentID)
        } catch {
            throw AgentRuntimeError(.corruptState, "the stored job-signing key is unusable: \(error)")
        }
        let supervisor = JobSupervisor(
            configuration: .init(
                maxConcurrentJobs: max(1, policy.limits.maxConcurrentJobs), spoolMaxBytes: UInt64(max(1, policy.limits.spoolMaxBytes))),
            spool: try ResultSpool(directory: state.spoolDirectory),
            replayCache: try PersistentReplayCache(path: state.replayCachePath),
            verifier: verifier,
            authorizer: .policy(policy, serviceManager: serviceManager),
            toolkit: .live(runner: runner, facts: facts, metrics: MetricsCollector()),
            logger: logger)
        let report = try await supervisor.recover()
        logger.info(
            "agent starting",
            metadata: ["controller.address": "\(identity.record.controller)", "spool.results": "\(report.results)",
                       "spool.lost": "\(report.lost)", "spool.killed": "\(report.killed)", "spool.reboots": "\(report.reboots)"])

        let endpoint = try ControllerEndpoint(parsing: identity.record.controller)
        return AgentService(
            configuration: configuration,
            connect: {
                // Read afresh for each connection: a renewed certificate applies from the next one.
                let certificate = try state.readState(state.certificatePath, what: "agent certificate")
                let context = try NIOSSLContext(configuration: try AgentTLS.sessionConfiguration(
                    caDER: identity.caDER, certificateDER: certificate, privateKey: identity.keyPair.privateKey))
                let connector = ControllerConnector(endpoint: endpoint, eventLoopGroup: eventLoopGroup) {
                    try AgentTLS.makeSessionHandler(context: context)
                }
                return try await connector.connect()
            },
            makeHello: { await SessionHello.make(supervisor: supervisor, facts: facts, logger: logger) },
            supervisor: supervisor,
            renewal: .live(state: state, identity: identity),
            logger: logger)
    }
}
