import Crypto
import Foundation
import Hummingbird

/// `/api/v1/users` and `/api/v1/audit`: admin-only actions.
struct AdminRoutes {
    let deps: APIDependencies

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("users") { request, context -> API.CreatedUser in
            try Self.requireAdmin(context)
            let body = try await request.decode(as: API.CreateUser.self, context: context)
            guard (1...64).contains(body.name.count), TargetSelector.isName(body.name), body.name != "admin" else {
                throw HTTPError(.badRequest, message: "user names use 1-64 letters, digits, '.', '_' or '-' (not admin)")
            }
            let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            let token = "stwu_" + secret.base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            try await deps.database.insertAPIToken(APITokenRecord(
                id: StewardID.make(now: Date()), name: body.name, tokenHash: Data(SHA256.hash(data: Data(token.utf8))), role: "user",
                createdAt: Date()))
            try await AuditLog(database: deps.database).append(AuditEvent(
                at: Date(), kind: .admin, actor: "api:\(context.tokenName ?? "?")", summary: "created API user \(body.name)"))
            return API.CreatedUser(name: body.name, token: token)
        }
        group.get("audit") { request, context -> [API.AuditEntry] in
            try Self.requireAdmin(context)
            let query = request.uri.queryParameters
            let since = query.get("since").flatMap { try? Date($0, strategy: .iso8601) }
            let limit = min(max(query.get("limit", as: Int.self) ?? 100, 1), 10_000)
            let records = try await AuditLog(database: deps.database).events(
                since: since, actor: query.get("user"), host: query.get("host"), limit: limit)
            return records.map(API.AuditEntry.init)
        }
        group.get("audit/verify") { _, context -> API.AuditCheck in
            try Self.requireAdmin(context)
            let verification = try await AuditLog(database: deps.database).verify()
            return API.AuditCheck(intact: verification.isIntact, detail: "\(verification)")
        }
    }

    static func requireAdmin(_ context: APIRequestContext) throws {
        guard context.tokenRole == "admin" else { throw HTTPError(.forbidden, message: "this needs the admin token") }
    }
}

extension API {
    public struct CreateUser: Codable, Sendable {
        public var name: String
        public init(name: String) { self.name = name }
    }

    public struct CreatedUser: Codable, Sendable, ResponseEncodable {
        public var name: String
        public var token: String
    }

    public struct AuditEntry: Codable, Sendable, ResponseEncodable {
        public var seq: Int64
        public var at: Date
        public var kind: String
        public var actor: String
        public var room: String?
        public var host: String?
        public var jobID: String?
        public var summary: String

        init(_ record: AuditRecord) {
            seq = record.seq
            at = record.at
            kind = record.kind.rawValue
            actor = record.actor
            room = record.room
            host = record.host
            jobID = record.jobID
            summary = record.summary
        }

        enum CodingKeys: String, CodingKey {
            case seq, at, kind, actor, room, host, summary
            case jobID = "job_id"
        }
    }

    public struct AuditCheck: Codable, Sendable, ResponseEncodable {
        public var intact: Bool
        public var detail: String
    }
}
