import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import StewardProtocol
@testable import StewardController

/// The admin API router over an in-memory store, a real registry with recording sessions and a
/// CA in a temporary directory, driven through HummingbirdTesting's in-process `.router` client.
struct APIHarness {
    static let adminToken = "stwa_test-admin-token-0123456789"
    static let advertised = "controller.example:7443"

    let database: StewardDatabase
    let registry: AgentRegistry
    let dispatcher: Dispatcher
    let authority: CertificateAuthority
    let directory: String
    /// Chat connections whose routes and health the router serves.
    var connections = ChatConnections([])
    /// The controller's metrics, shared by every request the harness sends (and served by `/metrics`).
    var metrics = ControllerMetrics()

    /// Enrolls an agent per name (id `agent-NAME`, optional labels) and connects those in `online`.
    static func make(
        agents: [String] = [], labels: [String: [String: String]] = [:], online: Set<String> = []
    ) async throws -> APIHarness {
        let directory = NSTemporaryDirectory() + "steward-api-" + UUID().uuidString
        let authority = try CertificateAuthority.loadOrCreate(directory: directory)
        let database = try StewardDatabase.inMemory()
        let registry = AgentRegistry()
        let dispatcher = Dispatcher(
            database: database, registry: registry, signer: JobSigner(key: authority.jobSigningKey), logger: quietLogger)
        try await database.insertAPIToken(APITokenRecord(
            id: StewardID.make(now: Date()), name: "admin", tokenHash: Data(SHA256.hash(data: Data(adminToken.utf8))),
            role: "admin", createdAt: Date()))
        for name in agents {
            try await database.insertAgent(AgentRecord(
                id: "agent-\(name)", name: name, labels: labels[name] ?? [:], enrolledAt: Date(timeIntervalSince1970: 1_700_000_000)))
        }
        let harness = APIHarness(database: database, registry: registry, dispatcher: dispatcher, authority: authority, directory: directory)
        for name in online.sorted() { _ = await harness.attach(name) }
        return harness
    }

    static let quietLogger = Logger(label: "test.api", factory: { _ in SwiftLogNoOpLogHandler() })

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    @discardableResult
    func attach(_ name: String) async -> RecordingSession {
        let session = RecordingSession(agentID: "agent-\(name)")
        await registry.register(session.handle(sessionID: await registry.makeSessionID()))
        return session
    }

    func router() -> Router<APIRequestContext> {
        APIServer.router(APIDependencies(
            database: database, registry: registry, dispatcher: dispatcher,
            tokens: JoinTokenIssuer(
                database: database, caFingerprint: authority.caFingerprint, advertisedAddress: { Self.advertised }),
            logger: Self.quietLogger, connections: connections, metrics: metrics))
    }

    /// Sends one request; `authorization` nil sends no Authorization header at all.
    func request(
        _ method: HTTPRequest.Method, _ uri: String, authorization: String? = "Bearer \(APIHarness.adminToken)",
        body: String? = nil
    ) async throws -> TestResponse {
        try await request(method, uri, authorization: authorization, bytes: body.map { Array($0.utf8) })
    }

    func request(
        _ method: HTTPRequest.Method, _ uri: String, authorization: String? = "Bearer \(APIHarness.adminToken)",
        headers extra: HTTPFields = [:], bytes: [UInt8]?
    ) async throws -> TestResponse {
        var fields: HTTPFields = [:]
        if let authorization { fields[.authorization] = authorization }
        if bytes != nil, extra[.contentType] == nil { fields[.contentType] = "application/json" }
        fields.append(contentsOf: extra)
        let app = Application(router: router(), logger: Self.quietLogger)
        let headers = fields
        return try await app.test(.router) { client in
            try await client.execute(uri: uri, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) })
        }
    }

    /// Encodes a value with the API's conventions, as the CLI client does.
    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try API.encoder().encode(value), as: UTF8.self)
    }
}

extension TestResponse {
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try API.decoder().decode(T.self, from: Data(body.readableBytesView))
    }

    /// The message of a Hummingbird error body (`{"error":{"message":...}}`).
    var errorMessage: String? {
        struct Envelope: Decodable {
            struct Inner: Decodable { var message: String }
            var error: Inner
        }
        return try? JSONDecoder().decode(Envelope.self, from: Data(body.readableBytesView)).error.message
    }
}
