import Foundation
import GRDB
@testable import StewardController

/// Builders for store tests: fixed times (whole milliseconds, so they survive storage) and
/// small valid records.
enum StoreFixture {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func at(_ seconds: Double) -> Date {
        t0.addingTimeInterval(seconds)
    }

    static func database() throws -> StewardDatabase {
        try StewardDatabase.inMemory()
    }

    static func agent(_ name: String, id: String? = nil, labels: [String: String] = [:]) -> AgentRecord {
        AgentRecord(id: id ?? "agent-\(name)", name: name, labels: labels, enrolledAt: t0)
    }

    static func job(
        _ id: String, createdAt: Date = t0, deadline: Date? = nil, timeoutMs: Int64 = 60_000,
        command: String = "ping all"
    ) -> JobRecord {
        JobRecord(
            id: id, createdAt: createdAt, requestedBy: "alice", source: .chat, commandText: command,
            action: Data(#"{"ping":{}}"#.utf8), target: "all", timeoutMs: timeoutMs,
            deliveryDeadline: deadline ?? createdAt.addingTimeInterval(3600))
    }

    static func token(
        _ id: String, secret: String, maxUses: Int = 1, expiresAt: Date = at(3600), labels: [String: String] = [:]
    ) -> EnrollmentTokenRecord {
        EnrollmentTokenRecord(
            id: id, secretHash: hash(secret), labels: labels, createdAt: t0, expiresAt: expiresAt,
            maxUses: maxUses, createdBy: "admin")
    }

    /// Stands in for a real hash: the store treats it as opaque bytes.
    static func hash(_ secret: String) -> Data {
        Data(("h:" + secret).utf8)
    }

    /// A database with agents `web-1`, `web-2`, `db-1` and one job over them.
    static func databaseWithJob(_ jobID: String = "01JOBAAAAAAAAAAAAAAAAAAAAA") async throws -> StewardDatabase {
        let store = try database()
        for name in ["web-1", "web-2", "db-1"] {
            try await store.insertAgent(agent(name))
        }
        try await store.createJob(job(jobID), agentIDs: ["agent-web-1", "agent-web-2", "agent-db-1"])
        return store
    }

    /// Counts rows with raw SQL, independent of the code under test.
    static func count(_ table: String, in store: StewardDatabase) async throws -> Int {
        try await store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1
        }
    }

    /// A fresh folder under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("steward-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
