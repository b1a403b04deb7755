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

    /// The token with this hash, recording `now` as its last use; `nil` if no token matches.
    ///
    /// When the disk is full (or failing) the use goes unrecorded and the token comes back as stored:
    /// authenticating must not need a write, or a full disk would also stop every read of the API.
    public func apiToken(hash: Data, now: Date) async throws -> APITokenRecord? {
        do {
            return try await writer.write { db in
                guard var token = try APITokenRecord.filter(APITokenRecord.Columns.tokenHash == hash).fetchOne(db) else {
                    return nil
                }
                token.lastUsedAt = now
                try token.update(db, columns: [APITokenRecord.Columns.lastUsedAt])
                return token
            }
        } catch where StoreError(storageFailure: error) != nil {
            return try await writer.read { db in
                try APITokenRecord.filter(APITokenRecord.Columns.tokenHash == hash).fetchOne(db)
            }
        }
    }

    /// How many API tokens exist (zero means the admin token still has to be made).
    public func apiTokenCount() async throws -> Int {
        try await writer.read { db in
            try APITokenRecord.fetchCount(db)
        }
    }
}
