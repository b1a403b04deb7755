import Foundation
import GRDB

extension StewardDatabase {
    /// Stores a new API token. Throws `.conflict` on a duplicate id or hash.
    public func insertAPIToken(_ token: APITokenRecord) async throws {
        try await writer.write { db in
            do {
                try token.insert(db)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw StoreError(.conflict, "cannot insert API token \(token.id): \(error.message ?? "")")
            }
        }
    }

    /// How precisely a token's last use is kept: a request within this long of the recorded use writes
    /// nothing, so authenticating a busy client (a dashboard polling, a benchmark) costs a read, not a
    /// write transaction per request.
    static let apiTokenUseResolution: TimeInterval = 60

    /// The token with this hash, recording `now` as its last use (to the minute); `nil` if no token matches.
    ///
    /// When the disk is full (or failing) the use goes unrecorded and the token comes back as stored:
    /// authenticating must not need a write, or a full disk would also stop every read of the API.
    public func apiToken(hash: Data, now: Date) async throws -> APITokenRecord? {
        let found = try await writer.read { db in
            try APITokenRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_tokens WHERE token_hash = ?"), arguments: [hash])
        }
        guard var token = found else { return nil }
        if let last = token.lastUsedAt, now.timeIntervalSince(last) < Self.apiTokenUseResolution { return token }
        do {
            let id = token.id
            try await grouped.write { db in
                try db.cachedStatement(sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
                    .execute(arguments: [now.databaseMilliseconds, id])
            }
            token.lastUsedAt = now
        } catch where StoreError(storageFailure: error) != nil {
            // Unrecorded: the token still authenticates.
        }
        return token
    }

    /// How many API tokens exist (zero means the admin token still has to be made).
    public func apiTokenCount() async throws -> Int {
        try await writer.read { db in
            try APITokenRecord.fetchCount(db)
        }
    }
}
