import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import StewardProtocol

/// Everything the admin API needs to answer.
public struct APIDependencies: Sendable {
    let database: StewardDatabase
    let registry: AgentRegistry
    let dispatcher: Dispatcher
    let tokens: JoinTokenIssuer
    let logger: Logger
    /// The console rooms (`steward chat`, web console); nil when chat is not configured.
    var chat: ChatRooms? = nil
    /// Chat platform connections: their routes (outside `/api/v1`, each authenticated its own way) and health.
    var connections = ChatConnections([])
    /// The controller's metrics: counted into by the API's own checks, emitted by `GET /metrics`.
    var metrics = ControllerMetrics()
}

/// Builds the admin API router; shared by `serve`, `demo` and the tests.
public enum APIServer {
    public static func router(_ deps: APIDependencies) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ErrorLoggingMiddleware(logger: deps.logger))
        router.get("healthz") { _, _ in
            let chat = await deps.connections.health().map(API.ChatConnectionHealth.init)
            return API.Health(
                status: chat.allSatisfy(\.healthy) ? "ok" : "degraded", agentsOnline: await deps.registry.count,
                version: StewardVersion.current, chat: chat)
        }
        deps.connections.registerRoutes(on: router)
        WebConsole.register(on: router)
        MetricsRoute(deps: deps).register(on: router)
        let api = router.group("api/v1").add(middleware: BearerTokenMiddleware(database: deps.database, metrics: deps.metrics))
        AgentRoutes(deps: deps).register(on: api)
        JobRoutes(deps: deps).register(on: api)
        if let chat = deps.chat { ChatRoutes(chat: chat).register(on: api) }
        AdminRoutes(deps: deps).register(on: api)
        api.post("tokens") { request, context -> API.CreatedToken in
            let body = try await request.decode(as: API.CreateToken.self, context: context)
            let created = try await deps.tokens.create(body, createdBy: context.tokenName ?? "api")
            let labels = created.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            try await AuditLog(database: deps.database).append(AuditEvent(
                at: Date(), kind: .admin, actor: "api:\(context.tokenName ?? "?")",
                summary: "created a join token for \(created.uses) agent(s), labels \(labels.isEmpty ? "none" : labels), expires \(created.expiresAt)"))
            return created
        }
        return router
    }

    /// How long a client may take to send a request head (slowloris) or keep an idle connection.
    public static let defaultHeaderTimeout: Duration = .seconds(30)

    /// The HTTP/1 server with the live job WebSocket (`/api/v1/jobs/{id}/live`) next to the router.
    public static func server(_ deps: APIDependencies, headerTimeout: Duration = defaultHeaderTimeout) -> HTTPServerBuilder {
        JobLiveSocket(database: deps.database, metrics: deps.metrics).serverBuilder(headerTimeout: headerTimeout)
    }
}

extension API.Health: ResponseEncodable {}
extension API.Agent: ResponseEncodable {}
extension API.CreatedToken: ResponseEncodable {}
extension API.Job: ResponseEncodable {}
extension API.OutputPage: ResponseEncodable {}
extension API.HistoryEntry: ResponseEncodable {}

extension HTTPError {
    /// Maps domain errors to HTTP answers with a one-line reason.
    static func from(_ error: any Error) -> any Error {
        switch error {
        case let error as JobRequestError: HTTPError(.badRequest, message: error.message)
        case let error as StoreError where error.code == .notFound: HTTPError(.notFound, message: error.message)
        case let error as StoreError where error.code == .ambiguous: HTTPError(.badRequest, message: error.message)
        default: error
        }
    }
}
