import Foundation
import GRDB

extension StewardDatabase {
    /// An agent's history, newest first: at most `limit` rows (clamped to 1...10,000), and with `before`
    /// (a job id from a previous page) only runs older than that job's. Throws `.notFound` for a
    /// `before` job this agent did not run.
    public func history(agentID: String, limit: Int = 20, before: String? = nil) async throws -> [HistoryRow] {
        try await writer.read { db in
            try Self.historyRequest(agentID: agentID, limit: limit, before: before, db).fetchAll(db)
        }
    }

    /// The history query. It walks `runs_on_agent_created` from the cursor and stops after `limit`
    /// rows, so its cost does not grow with the size of the table (see the query-plan test).
    static func historyRequest(
        agentID: String, limit: Int, before: String?, _ db: Database
    ) throws -> SQLRequest<HistoryRow> {
        var cursor: SQL = ""
        if let before {
            guard let createdAt = try Int64.fetchOne(db, sql: """
                SELECT created_at FROM runs WHERE job_id = ? AND agent_id = ?
                """, arguments: [before, agentID])
            else {
                throw StoreError(.notFound, "agent \(agentID) has no run of job \(before)")
            }
            cursor = "AND (runs.created_at, runs.job_id) < (\(createdAt), \(before))"
        }
        return SQLRequest(literal: """
            SELECT runs.job_id, jobs.created_at, jobs.requested_by, jobs.source, jobs.command_text,
                   jobs.action, runs.status, runs.exit_code, runs.started_at, runs.finished_at
            FROM runs
            JOIN jobs ON jobs.id = runs.job_id
            WHERE runs.agent_id = \(agentID) \(cursor)
            ORDER BY runs.created_at DESC, runs.job_id DESC
            LIMIT \(clampedLimit(limit))
            """)
    }
}
