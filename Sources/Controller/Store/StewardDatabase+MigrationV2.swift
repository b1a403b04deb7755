import GRDB

extension StewardDatabase {
    /// v2: the hash-chained audit trail. `audit_events` holds the chain; `audit_head` (one row) holds the
    /// latest seq and hash, updated in the same transaction as each append, so deleting the newest rows
    /// (which leaves a shorter but self-consistent chain) is still detected.
    static func migrateV2(_ db: Database) throws {
        // seq is assigned by the writer (it is part of the hashed content), not by AUTOINCREMENT.
        try db.create(table: "audit_events", options: .strict) { t in
            t.primaryKey("seq", .integer).check(sql: "seq >= 1")
            t.column("id", .text).notNull().unique()
            t.column("at", .integer).notNull()
            t.column("kind", .text).notNull().check(sql: "length(kind) BETWEEN 1 AND 32")
            t.column("actor", .text).notNull().check(sql: "length(actor) >= 1")
            t.column("room", .text)
            t.column("host", .text)
            t.column("job_id", .text)
            t.column("summary", .text).notNull()
            t.column("details", .text).notNull().defaults(to: "{}")
                .check(sql: "json_valid(details) AND json_type(details) = 'object'")
            t.column("prev_hash", .blob).notNull().check(sql: "length(prev_hash) = 32")
            t.column("hash", .blob).notNull().check(sql: "length(hash) = 32")
        }
        try db.create(index: "audit_events_on_at", on: "audit_events", columns: ["at"])
        try db.create(index: "audit_events_on_actor_at", on: "audit_events", columns: ["actor", "at"])
        try db.create(index: "audit_events_on_host_at", on: "audit_events", columns: ["host", "at"])
        try db.create(index: "audit_events_on_job_id", on: "audit_events", columns: ["job_id"])

        try db.create(table: "audit_head", options: .strict) { t in
            t.primaryKey("id", .integer).check(sql: "id = 1")
            t.column("seq", .integer).notNull().check(sql: "seq >= 0")
            t.column("hash", .blob).notNull().check(sql: "length(hash) = 32")
        }
        try db.execute(sql: "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, zeroblob(32))")

        // Append-only at the SQL level too, so no code path (a retention job, a hand-written fix) edits
        // history by mistake. Someone with the file can drop these; the hash chain is what catches that.
        try db.execute(sql: """
            CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
            BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
            CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
            BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
            CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
            BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END;
            CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head WHEN NEW.seq <= OLD.seq
            BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END;
            """)
    }
}
