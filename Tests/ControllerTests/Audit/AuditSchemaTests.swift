import Foundation
import GRDB
import Testing
@testable import StewardController

@Suite("Audit schema", .timeLimit(.minutes(1)))
struct AuditSchemaTests {
    @Test func migrationV2CreatesStrictAuditTablesIndexesAndAnEmptyHead() async throws {
        let (_, database) = try AuditFixture.log()
        let (applied, tables, indexes, head) = try await database.writer.read { db in
            (try StewardDatabase.migrator.appliedIdentifiers(db),
             try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE name IN ('audit_events', 'audit_head') ORDER BY name"),
             try db.indexes(on: "audit_events").map { "\($0.name)(\($0.columns.joined(separator: ",")))" }.sorted(),
             try String.fetchOne(db, sql: "SELECT seq || ':' || hex(hash) FROM audit_head"))
        }
        #expect(applied.contains("v1") && applied.contains("v2"))
        #expect(StewardDatabase.knownMigrations.prefix(2) == ["v1", "v2"])
        #expect(tables.count == 2)
        #expect(tables.allSatisfy { $0.hasSuffix("STRICT") })
        #expect(indexes == [
            "audit_events_on_actor_at(actor,at)", "audit_events_on_at(at)", "audit_events_on_host_at(host,at)",
            "audit_events_on_job_id(job_id)", "sqlite_autoindex_audit_events_1(id)",
        ])
        #expect(head == "0:" + String(repeating: "0", count: 64))
    }

    @Test func seqIsTheRowid() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(3, to: log)
        let same = try await database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE rowid = seq")
        }
        #expect(same == 3)
    }

    @Test func refusesSQLUpdatesAndDeletesThroughTheTriggers() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(3, to: log)
        for sql in ["UPDATE audit_events SET summary = 'x' WHERE seq = 2", "DELETE FROM audit_events WHERE seq = 3",
                    "DELETE FROM audit_head", "UPDATE audit_head SET seq = 1"] {
            await #expect(throws: DatabaseError.self) {
                try await database.writer.write { db in try db.execute(sql: sql) }
            }
        }
        #expect(try await log.verify() == .intact(count: 3))
    }

    @Test func schemaRefusesNonObjectDetailsAndShortHashes() async throws {
        let (_, database) = try AuditFixture.log()
        let insert = """
            INSERT INTO audit_events (seq, id, at, kind, actor, summary, details, prev_hash, hash)
            VALUES (1, 'I', 0, 'admin', 'a', 's', ?, ?, ?)
            """
        let good = Data(repeating: 1, count: 32)
        for arguments: StatementArguments in [["[1]", good, good], ["not json", good, good],
                                              ["{}", Data(repeating: 1, count: 31), good], ["{}", good, "text"]] {
            await #expect(throws: DatabaseError.self) {
                try await database.writer.write { db in try db.execute(sql: insert, arguments: arguments) }
            }
        }
        // The same statement with sound values goes in, so the refusals above are about the values.
        try await database.writer.write { db in try db.execute(sql: insert, arguments: ["{}", good, good]) }
    }

    @Test func readsDetailValuesOtherToolsWroteAsJSONText() async throws {
        let (_, database) = try AuditFixture.log()
        let hash = Data(repeating: 1, count: 32)
        try await database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO audit_events (seq, id, at, kind, actor, summary, details, prev_hash, hash)
                VALUES (1, 'I', 0, 'admin', 'a', 's', '{"exit":3,"ok":true,"hosts":["a","b"],"who":"bob"}', ?, ?)
                """, arguments: [hash, hash])
        }
        let record = try #require(try await database.writer.read { db in try AuditRecord.fetchOne(db, key: 1) })
        #expect(record.details == ["exit": "3", "ok": "true", "hosts": #"["a","b"]"#, "who": "bob"])
    }
}
