import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import StewardProtocol

/// A controller assembled from its parts: store, PKI, registry, dispatcher, agent gateway, HTTP API.
///
/// `serve`, `demo` and the tests all build it the same way; `services` are run in one ServiceGroup.
public struct ControllerRuntime: Sendable {
    public let configuration: ControllerConfiguration
    public let database: StewardDatabase
    public let authority: CertificateAuthority
    public let registry: AgentRegistry
    public let dispatcher: Dispatcher
    let endpoints: EndpointBook
    let logger: Logger
    /// The chat engine and console rooms.
    public let chat: ChatRooms
    /// Chat platform connections from `controller.yaml`.
    public let connections: ChatConnections
    /// This controller's Prometheus registry and counters (`GET /metrics`); one per controller, never global.
    public let metrics: ControllerMetrics

    /// Opens (or creates) the state directory: PKI, database, admin token.
    public static func prepare(_ configuration: ControllerConfiguration, logger: Logger) throws -> ControllerRuntime {
        let state = ControllerStateDirectory(root: configuration.stateDirectory)
        try SecureFile.ensurePrivateDirectory(state.root)
        let authority = try CertificateAuthority.loadOrCreate(directory: state.pki, now: Date())
        let database = try StewardDatabase.open(path: state.database)
        let registry = AgentRegistry()
        let metrics = ControllerMetrics()
        let dispatcher = Dispatcher(
            database: database, registry: registry, signer: JobSigner(key: authority.jobSigningKey),
            resultGrace: configuration.resultGrace, limits: configuration.resourceLimits, metrics: metrics, logger: logger)
        let chatEngine = ChatEngine(
            database: database, dispatcher: dispatcher, policy: try ChatSetup.policy(configuration),
            parser: ChatCommandParser(aliases: try ChatSetup.aliases(configuration)), metrics: metrics, logger: logger)
        let connections: [any ChatConnection]
        do {
            connections = try ChatConnectionFactory.makeAll(configuration.chat) { entry in
                ChatConnectionContext(
                    logger: logger, stateDirectory: "\(state.root)/chat/\(entry.name)",
                    controller: ControllerParts(events: dispatcher.events, database: database, registry: registry),
                    metrics: metrics)
            }
        } catch {
            throw ConfigurationError("\(error)")
        }
        return ControllerRuntime(
            configuration: configuration, database: database, authority: authority, registry: registry,
            dispatcher: dispatcher,
            endpoints: EndpointBook(stateDirectory: state, advertiseOverride: configuration.advertisedAddress),
            logger: logger, chat: ChatRooms(engine: chatEngine, log: ConsoleRoomLog()),
            connections: ChatConnections(connections), metrics: metrics)
    }

    /// Makes sure `admin.token` holds a token the API accepts; returns it.
    @discardableResult
    public func ensureAdminToken() async throws -> String {
        let path = ControllerStateDirectory(root: configuration.stateDirectory).adminToken
        if let existing = try? SecureFile.read(path), let token = String(bytes: existing, encoding: .utf8)?
            .trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty,
            try await database.apiToken(hash: Data(SHA256.hash(data: Data(token.utf8))), now: Date()) != nil
        {
            return token
        }
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let token = "stwa_" + secret.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try await database.insertAPIToken(APITokenRecord(
            id: StewardID.make(now: Date()), name: "admin", tokenHash: Data(SHA256.hash(data: Data(token.utf8))),
            role: "admin", createdAt: Date(), lastUsedAt: nil))
        try SecureFile.write(Array((token + "\n").utf8), to: path, mode: 0o600)
        logger.notice("created admin API token", metadata: ["path": "\(path)"])
        return token
    }

    /// The long-running parts, in dependency order.
    public func services() throws -> [any Service] {
        let endpoints = self.endpoints
        let context = GatewayContext(
            database: database, registry: registry, dispatcher: dispatcher,
            enrollment: EnrollmentService(
                database: database, authority: authority, certificateValidity: configuration.agentCertificateValidity,
                failuresPerMinute: configuration.resourceLimits.enrollmentFailuresPerMinute, logger: logger),
            authority: authority, heartbeat: configuration.heartbeat, ticker: SessionTicker(interval: .seconds(1)),
            certificateValidity: configuration.agentCertificateValidity, limits: configuration.resourceLimits,
            metrics: metrics, logger: logger)
        let gateway = AgentGateway(
            host: configuration.agentHost, port: configuration.agentPort,
            tlsConfiguration: ControllerTLS.serverConfiguration(ca: authority), context: context,
            limits: configuration.limits, onBound: { await endpoints.agentsBound($0) })
        let deps = APIDependencies(
            database: database, registry: registry, dispatcher: dispatcher,
            tokens: tokenIssuer(),
            logger: logger, chat: chat, connections: connections, metrics: metrics)
        let api = Application(
            router: APIServer.router(deps),
            server: APIServer.server(deps, headerTimeout: configuration.apiHeaderTimeout),
            configuration: .init(address: .hostname(configuration.apiHost, port: configuration.apiPort), serverName: "steward"),
            onServerRunning: { channel in
                if let address = channel.localAddress { await endpoints.apiBound(address) }
            },
            logger: logger)
        let housekeeping = Housekeeping(
            dispatcher: dispatcher, registry: registry, database: database, interval: configuration.housekeepingInterval,
            logger: logger)
        let chatService = ChatConnectionsService(connections: connections, engine: chat.engine)
        let retention = RetentionSweep(
            database: database, jobRetention: configuration.resourceLimits.jobRetention,
            outputRetention: configuration.resourceLimits.outputRetention, logger: logger)
        return [gateway, api, housekeeping, chatService, retention]
    }

    /// The HTTP API's base URL, once it is listening.
    public func apiURL() async -> String { await endpoints.apiURL() }

    /// A join-token issuer for in-process callers (the demo).
    public func tokenIssuer() -> JoinTokenIssuer {
        let endpoints = self.endpoints
        return JoinTokenIssuer(database: database, caFingerprint: authority.caFingerprint, advertisedAddress: { await endpoints.advertised() })
    }

    /// The `host:port` agents are told to dial.
    public func advertisedAgentAddress() async -> String { await endpoints.advertised() }
}

/// Runs the chat platform connections until shutdown.
struct ChatConnectionsService: Service, CustomStringConvertible {
    let connections: ChatConnections
    let engine: ChatEngine

    var description: String { "ChatConnections" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await connections.run(engine: engine)
        }
        // With no connections configured `run` returns at once, and a service that returns stops the group.
        try? await gracefulShutdown()
    }
}
