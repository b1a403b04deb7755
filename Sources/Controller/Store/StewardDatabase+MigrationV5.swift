import GRDB

extension StewardDatabase {
    /// v5: each agent's active and queued runs, for `max_jobs_per_agent`. Claiming a run asks "how many
    /// runs does this agent have offered or running?" and a result asks "does this agent have runs
    /// waiting?"; partial indexes answer both from the few pending rows, not the agent's whole history.
    /// The queries must spell these `WHERE` terms exactly as written here, or SQLite cannot use the index.
    static func migrateV5(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX runs_active_on_agent ON runs(agent_id) WHERE status IN \(activeSQL)")
        try db.execute(sql: "CREATE INDEX runs_queued_on_agent ON runs(agent_id, job_id) WHERE status = 'queued'")
    }

    /// Statuses of a run that holds one of its agent's job slots: offered, running or rebooting.
    static let activeSQL = "('offered', 'running', 'rebooting')"
}
