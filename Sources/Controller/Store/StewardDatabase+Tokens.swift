import Foundation
import GRDB

extension StewardDatabase {
    /// Stores a new enrollment token. Throws `.conflict` on a duplicate id or secret hash.
    public func insertEnrollmentToken(_ token: EnrollmentTokenRecord) async throws {
        try await writer.write { db in
            do {
                try token.insert(db)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw StoreError(.conflict, "cannot insert enrollment token \(token.id): \(error.message ?? "")")
            }
        }
    }

    /// Every enrollment token, newest first.
    public func enrollmentTokens() async throws -> [EnrollmentTokenRecord] {
        try await writer.read { db in
            try EnrollmentTokenRecord.order(EnrollmentTokenRecord.Columns.createdAt.desc).fetchAll(db)
        }
    }

    /// Revokes a token so it can no longer enroll anyone. Throws `.notFound` for an unknown id.
    public func revokeEnrollmentToken(id: String, at now: Date) async throws {
        try await writer.write { db in
            let changed = try EnrollmentTokenRecord.filter(key: id)
                .filter(EnrollmentTokenRecord.Columns.revokedAt == nil)
                .updateAll(db, EnrollmentTokenRecord.Columns.revokedAt.set(to: now.databaseMilliseconds))
            if changed == 0, try EnrollmentTokenRecord.exists(db, key: id) == false {
                throw StoreError(.notFound, "no enrollment token \(id)")
            }
        }
    }

    /// Uses up one use of the token with this secret hash, in one write transaction, and returns it
    /// as updated. Throws `.tokenUnknown`, `.tokenExpired` (also when revoked) or `.tokenExhausted`.
    public func consumeToken(secretHash: Data, now: Date) async throws -> EnrollmentTokenRecord {
        try await writer.write { db in
            try Self.consumeToken(secretHash: secretHash, now: now, db)
        }
    }

    /// Enrolls an agent with a token: checks the token, refuses a name held by an active agent
    /// (`.nameTaken`, leaving the token unused), then consumes the token and inserts the agent, all in
    /// one transaction. The token's labels are merged over the agent's. Returns the stored agent.
    public func enrollAgent(secretHash: Data, agent: AgentRecord, now: Date) async throws -> AgentRecord {
        try await writer.write { db in
            // Token faults come first so a caller without a valid token learns nothing about names.
            guard let token = try Self.token(secretHash: secretHash, db) else {
                throw StoreError(.tokenUnknown, "no enrollment token matches this secret")
            }
            if let refusal = token.refusal(at: now) { throw refusal }
            if try AgentRecord.all().active().named(agent.name).isEmpty(db) == false {
                throw StoreError(.nameTaken, "an active agent is already named \(agent.name)")
            }
            let consumed = try Self.consumeToken(secretHash: secretHash, now: now, db)
            var enrolled = agent
            enrolled.status = .active
            enrolled.labels.merge(consumed.labels) { _, fromToken in fromToken }
            try Self.insertAgent(enrolled, db)
            return enrolled
        }
    }

    static func token(secretHash: Data, _ db: Database) throws -> EnrollmentTokenRecord? {
        try EnrollmentTokenRecord.filter(EnrollmentTokenRecord.Columns.secretHash == secretHash).fetchOne(db)
    }

    static func consumeToken(secretHash: Data, now: Date, _ db: Database) throws -> EnrollmentTokenRecord {
        guard var token = try token(secretHash: secretHash, db) else {
            throw StoreError(.tokenUnknown, "no enrollment token matches this secret")
        }
        if let refusal = token.refusal(at: now) { throw refusal }
        token.uses += 1
        try token.update(db, columns: [EnrollmentTokenRecord.Columns.uses])
        return token
    }
}
