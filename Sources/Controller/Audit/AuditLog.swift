import Foundation
import GRDB

/// The append-only, hash-chained audit trail kept in the controller's database.
///
/// Each row's hash covers its content and the previous row's hash, and the `audit_head` row remembers
/// the newest seq and hash, so ``verify()`` finds a row that was edited, deleted or cut off the end.
/// An attacker who can rewrite the whole file can rebuild a consistent chain: compare ``head()`` with a
/// copy kept elsewhere (a log line, a chat message) to catch that too.
public struct AuditLog: Sendable {
    let database: StewardDatabase

    public init(database: StewardDatabase) {
        self.database = database
    }

    /// Records `event` as the next link of the chain and returns the stored row.
    ///
    /// Reading the chain's tip and inserting happen in one write transaction, so concurrent appends
    /// (from this process or another one on the same file) still form a single chain. The append shares
    /// a group commit with the writes around it (the job it records, say), so it costs no commit of its own.
    /// Throws `StoreError.invalidArgument` for a malformed kind, an empty actor or oversized fields.
    @discardableResult
    public func append(_ event: AuditEvent) async throws -> AuditRecord {
        let columns = try event.validatedColumns()
        let id = StewardID.make(now: event.at)
        return try await database.grouped.write { db in
            let tip = try Self.tip(db)
            var record = AuditRecord(
                seq: tip.seq + 1, id: id, at: Date(databaseMilliseconds: columns.at), kind: columns.kind,
                actor: columns.actor, room: columns.room, host: columns.host, jobID: columns.jobID,
                summary: columns.summary, detailsJSON: columns.detailsJSON, prevHash: tip.hash, hash: Data())
            record.hash = AuditChain.hash(of: record)
            try record.insert(db)
            try db.execute(
                sql: """
                    INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
                    """,
                arguments: [record.seq, record.hash])
            return record
        }
    }

    /// The newest seq and hash as the head row records them, or `nil` if the head row is missing.
    public func head() async throws -> AuditHead? {
        try await database.writer.read { db in try Self.storedHead(db) }
    }

    /// Where the next row attaches. The head wins when it is ahead of the newest row: then rows were cut
    /// off the end, and chaining onto the head keeps that gap visible instead of papering over it. A row
    /// beyond the head (written behind our back) wins otherwise, so its seq is never reused.
    static func tip(_ db: Database) throws -> AuditHead {
        let head = try storedHead(db)
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            .map(AuditHead.init(row:))
        switch (head, last) {
        case let (head?, last?): return head.seq >= last.seq ? head : last
        case let (head?, nil): return head
        case let (nil, last?): return last
        case (nil, nil): return AuditHead(seq: 0, hash: AuditChain.genesisHash)
        }
    }

    static func storedHead(_ db: Database) throws -> AuditHead? {
        try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1").map(AuditHead.init(row:))
    }
}

/// The newest link of the audit chain: worth recording outside the database as an anchor.
public struct AuditHead: Sendable, Hashable, CustomStringConvertible {
    /// The seq of the newest row (0 before the first append).
    public var seq: Int64
    /// That row's hash (32 zero bytes before the first append).
    public var hash: Data

    public init(seq: Int64, hash: Data) {
        self.seq = seq
        self.hash = hash
    }

    /// Reads `seq` and `hash` columns; the schema's types and checks make a failure here a sign of a
    /// rebuilt table, reported rather than trapped on.
    init(row: Row) throws {
        guard let seq = Int64.fromDatabaseValue(row["seq"]), let hash = Data.fromDatabaseValue(row["hash"]),
              hash.count == AuditChain.hashLength
        else {
            throw StoreError(.conflict, "the audit chain's tip is malformed: run `steward audit verify`")
        }
        self.init(seq: seq, hash: hash)
    }

    /// `seq:hex-hash`, the form to copy somewhere safe.
    public var description: String {
        "\(seq):" + hash.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
