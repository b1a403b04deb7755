import Foundation
import GRDB
import Testing
@testable import StewardController

@Suite("Store migrations", .timeLimit(.minutes(1)))
struct StoreMigrationTests {
    @Test func appliesEveryMigrationAndCreatesEveryTable() async throws {
        let store = try StoreFixture.database()
        let (applied, tables) = try await store.writer.read { db in
            (try StewardDatabase.migrator.appliedIdentifiers(db),
             try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND name != 'grdb_migrations' ORDER BY name
                """))
        }
        #expect(Set(applied) == ["v1", "v2", "v3", "v4", "v5"])
        #expect(StewardDatabase.knownMigrations == ["v1", "v2", "v3", "v4", "v5"])
        #expect(tables == ["agents", "api_tokens", "audit_events", "audit_head", "chat_event_ids", "enrollment_tokens", "jobs", "output_chunks", "runs"])
    }

    @Test func createsTheHistoryAndStatusIndexes() async throws {
        let store = try StoreFixture.database()
        let indexes = try await store.writer.read { db in
            try db.indexes(on: "runs").map(\.name)
        }
        #expect(indexes.contains("runs_on_agent_created"))
        #expect(indexes.contains("runs_on_status"))
        #expect(indexes.contains("runs_on_job_status"))
    }

    /// The job-slot questions asked on every claim and every result must use the v5 partial indexes, not
    /// walk the agent's whole history: SQLite uses a partial index only for a query spelling its terms.
    @Test func jobSlotQueriesUseThePartialIndexes() async throws {
        let store = try StoreFixture.database()
        let plans = try await store.writer.read { db in
            try [
                "SELECT COUNT(*) FROM runs AS busy WHERE busy.agent_id = 'a' AND busy.status IN \(StewardDatabase.activeSQL)",
                "SELECT job_id FROM runs WHERE agent_id = 'a' AND status = 'queued' ORDER BY job_id LIMIT 16",
            ].map { sql in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ") }
        }
        #expect(plans[0].contains("USING INDEX runs_active_on_agent") || plans[0].contains("USING COVERING INDEX runs_active_on_agent"), "\(plans[0])")
        #expect(plans[1].contains("runs_queued_on_agent"), "\(plans[1])")
    }

    @Test func enforcesForeignKeys() async throws {
        let store = try StoreFixture.database()
        let enabled = try await store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(enabled == 1)
        await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in
                try RunRecord(jobID: "nojob", agentID: "noagent", createdAt: StoreFixture.t0).insert(db)
            }
        }
    }

    @Test func rejectsUnknownEnumValuesAndWrongTypes() async throws {
        let store = try StoreFixture.database()
        await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO agents (id, name, status, labels, enrolled_at) VALUES ('a', 'a', 'bogus', '{}', 0)
                    """)
            }
        }
        await #expect(throws: DatabaseError.self) {
            try await store.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO agents (id, name, status, labels, enrolled_at) VALUES ('a', 'a', 'active', '{}', 'noon')
                    """)
            }
        }
    }

    @Test func storesTimesAsIntegerMillisecondsAndLabelsAsJSON() async throws {
        let store = try StoreFixture.database()
        var agent = StoreFixture.agent("web-1", labels: ["role": "web", "env": "prod"])
        agent.enrolledAt = Date(timeIntervalSince1970: 1_700_000_000.123)
        try await store.insertAgent(agent)
        let stored = try await store.writer.read { db -> (String?, Int64?, String?)? in
            try Row.fetchOne(db, sql: "SELECT typeof(enrolled_at) AS kind, enrolled_at, labels FROM agents")
                .map { ($0["kind"], $0["enrolled_at"], $0["labels"]) }
        }
        let (kind, milliseconds, labels) = try #require(stored)
        #expect(kind == "integer")
        #expect(milliseconds == 1_700_000_000_123)
        #expect(labels == #"{"env":"prod","role":"web"}"#)
        let fetched = try #require(try await store.agent(id: agent.id))
        #expect(fetched.enrolledAt.databaseMilliseconds == 1_700_000_000_123)
        #expect(fetched.labels == ["role": "web", "env": "prod"])
    }

    @Test func roundTripsMillisecondTimesWithoutDrift() {
        // Every millisecond in a window must survive Date -> ms -> Date -> ms unchanged.
        for milliseconds in Int64(1_700_000_000_000)...Int64(1_700_000_002_000) {
            let date = Date(databaseMilliseconds: milliseconds)
            #expect(date.databaseMilliseconds == milliseconds)
        }
    }
}
