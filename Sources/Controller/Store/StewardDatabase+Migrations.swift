import GRDB

extension StewardDatabase {
    /// The schema's history. A migration that has shipped is never edited: add "v2" and so on instead.
    /// Migrations name tables and columns as strings so later record changes cannot alter them.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: migrateV1)
        migrator.registerMigration("v2", migrate: migrateV2)
        migrator.registerMigration("v3", migrate: migrateV3)
        migrator.registerMigration("v4", migrate: migrateV4)
        migrator.registerMigration("v5", migrate: migrateV5)
        return migrator
    }

    /// Identifiers of the migrations this build knows, in order.
    static var knownMigrations: [String] { migrator.migrations }

    // Tables are STRICT so a wrongly typed value fails loudly instead of being stored as something else.
    private static func migrateV1(_ db: Database) throws {
        try db.create(table: "agents", options: .strict) { t in
            t.primaryKey("id", .text)
            t.column("name", .text).notNull()
            t.column("status", .text).notNull().check(sql: "status IN ('active', 'revoked')")
            t.column("labels", .text).notNull().defaults(to: "{}")
            t.column("facts", .blob)
            t.column("agent_version", .text)
            t.column("boot_id", .text)
            t.column("cert_serial", .text)
            t.column("cert_not_after", .integer)
            t.column("enrolled_at", .integer).notNull()
            t.column("last_seen_at", .integer)
            t.column("revoked_at", .integer)
        }
        // A revoked agent keeps its row (history points at it) and its name may be enrolled again,
        // so names are unique among active agents only.
        try db.create(index: "agents_on_active_name", on: "agents", columns: ["name"],
                      options: .unique, condition: Column("status") == "active")
        try db.create(index: "agents_on_name", on: "agents", columns: ["name"])

        try db.create(table: "enrollment_tokens", options: .strict) { t in
            t.primaryKey("id", .text)
            t.column("secret_hash", .blob).notNull().unique()
            t.column("labels", .text).notNull().defaults(to: "{}")
            t.column("created_at", .integer).notNull()
            t.column("expires_at", .integer).notNull()
            t.column("max_uses", .integer).notNull().check(sql: "max_uses >= 1")
            t.column("uses", .integer).notNull().defaults(to: 0).check(sql: "uses >= 0")
            t.column("created_by", .text).notNull()
            t.column("revoked_at", .integer)
        }

        try db.create(table: "jobs", options: .strict) { t in
            t.primaryKey("id", .text)
            t.column("created_at", .integer).notNull()
            t.column("requested_by", .text).notNull()
            t.column("source", .text).notNull().check(sql: "source IN ('cli', 'api', 'chat', 'demo')")
            t.column("command_text", .text).notNull()
            t.column("action", .blob).notNull()
            t.column("target", .text).notNull()
            t.column("batch_size", .integer).check(sql: "batch_size IS NULL OR batch_size >= 1")
            t.column("max_errors", .integer).check(sql: "max_errors IS NULL OR max_errors >= 0")
            t.column("timeout_ms", .integer).notNull().check(sql: "timeout_ms > 0")
            t.column("delivery_deadline", .integer).notNull()
            t.column("status", .text).notNull().check(sql: "status IN ('running', 'finished', 'cancelled')")
            t.column("finished_at", .integer)
        }
        try db.create(index: "jobs_on_created_at", on: "jobs", columns: ["created_at"])

        try db.create(table: "runs", options: .strict) { t in
            t.column("job_id", .text).notNull().references("jobs", onDelete: .cascade)
            t.column("agent_id", .text).notNull().references("agents")
            t.primaryKey(["job_id", "agent_id"])
            t.column("status", .text).notNull().check(sql: """
                status IN ('queued', 'offered', 'running', 'rebooting', 'succeeded', 'failed', 'timed_out',
                           'rejected', 'undelivered', 'cancelled', 'lost', 'skipped')
                """)
            t.column("created_at", .integer).notNull()
            t.column("offered_at", .integer)
            t.column("started_at", .integer)
            t.column("finished_at", .integer)
            t.column("exit_code", .integer)
            t.column("signal", .integer)
            t.column("error", .text)
            t.column("structured", .blob)
            t.column("stdout_bytes", .integer).notNull().defaults(to: 0)
            t.column("stderr_bytes", .integer).notNull().defaults(to: 0)
            t.column("truncated", .integer).notNull().defaults(to: 0).check(sql: "truncated IN (0, 1)")
        }
        // Per-host history, newest first; job_id breaks ties so a job id works as a paging cursor.
        try db.execute(sql: "CREATE INDEX runs_on_agent_created ON runs(agent_id, created_at DESC, job_id DESC)")
        try db.create(index: "runs_on_status", on: "runs", columns: ["status"])

        // seq is an AUTOINCREMENT rowid: arrival order, never reused after pruning, so it is a safe cursor.
        try db.create(table: "output_chunks", options: .strict) { t in
            t.autoIncrementedPrimaryKey("seq")
            t.column("job_id", .text).notNull()
            t.column("agent_id", .text).notNull()
            t.column("stream", .integer).notNull().check(sql: "stream IN (0, 1)")
            t.column("offset", .integer).notNull().check(sql: "\"offset\" >= 0")
            t.column("data", .blob).notNull()
            t.uniqueKey(["job_id", "agent_id", "stream", "offset"])
            t.foreignKey(["job_id", "agent_id"], references: "runs", columns: ["job_id", "agent_id"],
                         onDelete: .cascade)
        }
        try db.create(index: "output_chunks_on_job_seq", on: "output_chunks", columns: ["job_id", "seq"])

        try db.create(table: "api_tokens", options: .strict) { t in
            t.primaryKey("id", .text)
            t.column("name", .text).notNull()
            t.column("token_hash", .blob).notNull().unique()
            t.column("role", .text).notNull()
            t.column("created_at", .integer).notNull()
            t.column("last_used_at", .integer)
        }
    }
}
