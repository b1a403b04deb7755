import Foundation
import GRDB

extension AuditLog {
    /// Rows read per page while verifying: bounds memory and how long each read holds its snapshot.
    static let verifyPageSize = 512

    /// Walks the whole chain in seq order, recomputing every hash, and reports the first break.
    ///
    /// The head and the newest seq are read first, in one snapshot, and only rows up to them are walked,
    /// so appends made while verifying neither break nor extend the check.
    public func verify() async throws -> AuditVerification {
        let (head, newestSeq) = try await database.writer.read { db in
            (try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1").map { try? AuditHead(row: $0) },
             try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_events"))
        }
        switch head {
        case nil:
            // The head row exists from the migration on; without it a truncation could not be told apart.
            return .broken(at: newestSeq ?? 0, reason: .headMissing)
        case .some(nil):
            return .broken(at: newestSeq ?? 0, reason: .malformedRow)
        case .some(let head?):
            return try await walk(upTo: max(head.seq, newestSeq ?? 0)).finish(against: head)
        }
    }

    /// Checks rows 1...bound page by page; stops at the first break.
    private func walk(upTo bound: Int64) async throws -> ChainWalk {
        var walk = ChainWalk()
        while walk.lastSeq < bound, walk.problem == nil {
            let after = walk.lastSeq
            let links = try await database.writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT seq, id, at, kind, actor, room, host, job_id, summary, details, prev_hash, hash
                    FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?
                    """, arguments: [after, bound, Self.verifyPageSize]).map(ChainLink.init(row:))
            }
            if links.isEmpty { break }
            for link in links where walk.problem == nil {
                walk.check(link)
            }
        }
        return walk
    }
}

/// The state carried from one row to the next while verifying.
private struct ChainWalk {
    private(set) var lastSeq: Int64 = 0
    private(set) var problem: AuditVerification?
    private var lastHash = AuditChain.genesisHash
    private var count = 0

    /// Checks the next row in seq order, recording the first break.
    mutating func check(_ link: ChainLink) {
        guard let seq = link.seq else {
            problem = .broken(at: lastSeq + 1, reason: .malformedRow)
            return
        }
        // A gap is reported at the first missing seq, which is where the deletion happened.
        guard seq == lastSeq + 1 else {
            problem = .broken(at: lastSeq + 1, reason: .rowMissing)
            return
        }
        guard let fields = link.fields else {
            problem = .broken(at: seq, reason: .malformedRow)
            return
        }
        // Content first: an edited row is reported as edited even when its link is also wrong.
        guard fields.recomputedHash(seq: seq) == fields.hash else {
            problem = .broken(at: seq, reason: .hashMismatch)
            return
        }
        guard fields.prevHash == lastHash else {
            problem = .broken(at: seq, reason: .linkMismatch)
            return
        }
        lastSeq = seq
        lastHash = fields.hash
        count += 1
    }

    /// The verdict: the first break, or how the walk's end compares with the head.
    func finish(against head: AuditHead) -> AuditVerification {
        if let problem { return problem }
        if lastSeq < head.seq { return .broken(at: lastSeq + 1, reason: .truncated) }
        if lastSeq > head.seq || lastHash != head.hash { return .broken(at: lastSeq, reason: .headMismatch) }
        return .intact(count: count)
    }
}

/// One row as read for verification, without trapping on unexpected types: `fields` is `nil` when a
/// column has the wrong type or a hash the wrong size.
private struct ChainLink: Sendable {
    struct Fields: Sendable {
        var id: String
        var at: Int64
        var kind: String
        var actor: String
        var room: String?
        var host: String?
        var jobID: String?
        var summary: String
        var details: String
        var prevHash: Data
        var hash: Data

        func recomputedHash(seq: Int64) -> Data {
            AuditChain.hash(
                seq: seq, id: id, at: at, kind: kind, actor: actor, room: room, host: host, jobID: jobID,
                summary: summary, details: details, prevHash: prevHash)
        }
    }

    var seq: Int64?
    var fields: Fields?

    init(row: Row) {
        seq = Int64.fromDatabaseValue(row["seq"])
        guard let id = String.fromDatabaseValue(row["id"]), let at = Int64.fromDatabaseValue(row["at"]),
              let kind = String.fromDatabaseValue(row["kind"]), let actor = String.fromDatabaseValue(row["actor"]),
              let room = Self.optionalText(row["room"]), let host = Self.optionalText(row["host"]),
              let jobID = Self.optionalText(row["job_id"]), let summary = String.fromDatabaseValue(row["summary"]),
              let details = String.fromDatabaseValue(row["details"]),
              let prevHash = Self.hash(row["prev_hash"]), let hash = Self.hash(row["hash"])
        else { return }
        fields = Fields(
            id: id, at: at, kind: kind, actor: actor, room: room, host: host, jobID: jobID, summary: summary,
            details: details, prevHash: prevHash, hash: hash)
    }

    /// `.some(nil)` for NULL, `.some(text)` for text, `nil` for any other type.
    private static func optionalText(_ value: DatabaseValue) -> String?? {
        value.isNull ? .some(nil) : String.fromDatabaseValue(value).map { .some($0) }
    }

    /// A 32-byte blob, or `nil` (GRDB would also turn text into bytes; a hash is never text).
    private static func hash(_ value: DatabaseValue) -> Data? {
        guard case .blob(let data) = value.storage, data.count == AuditChain.hashLength else { return nil }
        return data
    }
}
