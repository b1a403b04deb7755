import GRDB

extension StewardDatabase {
    /// v3: chat ingress de-duplication. A platform that retries a delivery sends the same event id;
    /// the first insert wins, so a retried message never runs a job twice.
    static func migrateV3(_ db: Database) throws {
        try db.create(table: "chat_event_ids", options: .strict) { t in
            t.column("platform", .text).notNull()
            t.column("event_id", .text).notNull().check(sql: "length(event_id) BETWEEN 1 AND 256")
            t.column("received_at", .integer).notNull()
            t.primaryKey(["platform", "event_id"])
        }
        try db.create(index: "chat_event_ids_on_received", on: "chat_event_ids", columns: ["received_at"])
    }
}
