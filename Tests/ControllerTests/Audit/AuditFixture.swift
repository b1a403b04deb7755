import Foundation
import GRDB
@testable import StewardController

/// Builders for audit tests, and the raw-SQL tampering an attacker with the database file could do.
enum AuditFixture {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func log() throws -> (AuditLog, StewardDatabase) {
        let database = try StewardDatabase.inMemory()
        return (AuditLog(database: database), database)
    }

    /// Event number `n` (1-based): actors, hosts and jobs rotate so filters have something to find.
    static func event(_ n: Int, kind: AuditKind = .request) -> AuditEvent {
        AuditEvent(
            at: t0.addingTimeInterval(Double(n)), kind: kind, actor: "slack:U\(n % 3)", room: "#ops",
            host: "web-\(n % 4)", jobID: "JOB\(n % 5)", summary: "event \(n)", details: ["n": "\(n)"])
    }

    /// Appends events 1...count, one transaction each, as the controller would.
    @discardableResult
    static func append(_ count: Int, to log: AuditLog) async throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        for n in 1...count {
            records.append(try await log.append(event(n)))
        }
        return records
    }

    /// Runs `sql` after dropping the append-only triggers, as someone with the file could.
    static func tamper(_ database: StewardDatabase, _ sql: String, arguments: StatementArguments = []) async throws {
        try await database.writer.write { db in
            for trigger in ["audit_events_no_update", "audit_events_no_delete", "audit_head_no_delete",
                            "audit_head_forward_only"] {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger)")
            }
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    /// Replaces row `seq`'s summary and stores a correctly recomputed hash for it: a forgery that
    /// passes the row's own check.
    static func forge(_ database: StewardDatabase, seq: Int64, summary: String) async throws {
        let original = try await database.writer.read { db in try AuditRecord.fetchOne(db, key: seq) }
        guard var record = original else { throw StoreError(.notFound, "no audit row \(seq)") }
        record.summary = summary
        record.hash = AuditChain.hash(of: record)
        try await tamper(database, "UPDATE audit_events SET summary = ?, hash = ? WHERE seq = ?",
                         arguments: [record.summary, record.hash, seq])
    }

    /// A fresh folder under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("steward-audit-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func hex(_ data: Data) -> String {
        data.map { String(format: "%02x", $0) }.joined()
    }
}
