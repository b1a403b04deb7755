import Crypto
import Foundation
import Hummingbird

/// Authenticates `Authorization: Bearer <token>` against the hashed API tokens; default deny.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let database: StewardDatabase
    let metrics: ControllerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            metrics.rejected(.api, .missingToken)
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing bearer token")
        }
        let token = header.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let record = try await Self.record(token: token, database: database, now: Date()) else {
            context.logger.warning("API request with an unknown token", metadata: ["path": "\(request.uri.path)"])
            metrics.rejected(.api, .badToken)
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "invalid bearer token")
        }
        var context = context
        context.tokenName = record.name
        context.tokenRole = record.role
        return try await next(request, context)
    }

    /// The token's record, nil for a malformed or unknown token; shared with the live job socket.
    static func record(token: String, database: StewardDatabase, now: Date) async throws -> APITokenRecord? {
        guard token.count >= 16, token.count <= 256 else { return nil }
        // Looked up by SHA-256: the stored value never equals the secret and no secret is compared byte by byte.
        let hash = Data(SHA256.hash(data: Data(token.utf8)))
        return try await database.apiToken(hash: hash, now: now)
    }
}
