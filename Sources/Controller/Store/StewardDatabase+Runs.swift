import Foundation
import GRDB

extension StewardDatabase {
    /// The runs of a job, sorted by agent id.
    public func runs(jobID: String) async throws -> [RunRecord] {
        try await writer.read { db in try Self.runs(db, jobID: jobID) }
    }

    /// ``runs(jobID:)`` in a read the caller holds.
    static func runs(_ db: Database, jobID: String) throws -> [RunRecord] {
        try RunRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM runs WHERE job_id = ? ORDER BY agent_id"), arguments: [jobID])
    }

    /// One run, if it exists.
    public func run(jobID: String, agentID: String) async throws -> RunRecord? {
        try await writer.read { db in
            try RunRecord.fetchOne(db, key: [RunRecord.CodingKeys.jobID.rawValue: jobID,
                                             RunRecord.CodingKeys.agentID.rawValue: agentID])
        }
    }

    /// Runs an agent still has to do or finish (in flight, job still running), oldest first:
    /// what to offer or resume when the agent connects.
    public func pendingRuns(agentID: String) async throws -> [RunRecord] {
        try await writer.read { db in
            try RunRecord.fetchAll(db, SQLRequest(literal: """
                SELECT runs.* FROM runs JOIN jobs ON jobs.id = runs.job_id
                WHERE runs.agent_id = \(agentID)
                  AND runs.status IN \(Self.inFlightStatuses)
                  AND jobs.status = \(JobStatus.running)
                ORDER BY runs.created_at, runs.job_id
                """))
        }
    }

    /// Moves a run to `status` if its current status is in `allowed`, stamping the matching time
    /// (`offered_at`, `started_at` if not yet set, or `finished_at` for a final status) with `now`.
    /// Final statuses in `allowed` are ignored, so a finished run is never overwritten.
    /// Returns whether the run changed.
    @discardableResult
    public func setRunStatus(
        jobID: String, agentID: String, to status: RunStatus, from allowed: Set<RunStatus>, at now: Date
    ) async throws -> Bool {
        let guarded = allowed.intersection(RunStatus.inFlight).sorted { $0.rawValue < $1.rawValue }
        guard !guarded.isEmpty else { return false }
        return try await grouped.write { db in
            // Hot path (every acceptance and offer): one cached statement per shape, compiled once.
            let stamp = switch status {
            case .offered: ", offered_at = ?"
            case .running: ", started_at = COALESCE(started_at, ?)"
            case .queued, .rebooting: ""
            case .succeeded, .failed, .timedOut, .rejected, .undelivered, .cancelled, .lost, .skipped: ", finished_at = ?"
            }
            let statement = try db.cachedStatement(sql: """
                UPDATE runs SET status = ?\(stamp) WHERE job_id = ? AND agent_id = ? \
                AND status IN (\(Array(repeating: "?", count: guarded.count).joined(separator: ", ")))
                """)
            var arguments: StatementArguments = [status]
            if !stamp.isEmpty { arguments += [now.databaseMilliseconds] }
            arguments += [jobID, agentID]
            arguments += StatementArguments(guarded)
            try statement.execute(arguments: arguments)
            return db.changesCount == 1
        }
    }

    /// Records how a run ended. The first final status wins: returns `false`, changing nothing, if the
    /// run is already final (which makes replayed results harmless). Throws `.notFound` for an unknown
    /// run and `.invalidArgument` if `result.status` is not final.
    @discardableResult
    public func finishRun(jobID: String, agentID: String, result: RunResult) async throws -> Bool {
        guard result.status.isFinal else {
            throw StoreError(.invalidArgument, "run result status \(result.status.rawValue) is not final")
        }
        return try await grouped.write { db in try Self.finishRun(db, jobID: jobID, agentID: agentID, result: result) }
    }

    /// ``finishRun(jobID:agentID:result:)`` inside a transaction.
    static func finishRun(_ db: Database, jobID: String, agentID: String, result: RunResult) throws -> Bool {
        // Hot path (every result): cached statements, compiled once per connection.
        let finish = try db.cachedStatement(sql: """
            UPDATE runs SET status = ?, exit_code = ?, signal = ?, error = ?, structured = ?,
                started_at = COALESCE(started_at, ?), finished_at = ?, truncated = MAX(truncated, ?)
            WHERE job_id = ? AND agent_id = ? AND status IN \(Self.inFlightSQL)
            """)
        try finish.execute(arguments: [
            result.status, result.exitCode, result.signal, result.error, result.structured,
            result.startedAt?.databaseMilliseconds, result.finishedAt.databaseMilliseconds, result.truncated,
            jobID, agentID,
        ])
        if db.changesCount == 1 { return true }
        let exists = try db.cachedStatement(sql: "SELECT 1 FROM runs WHERE job_id = ? AND agent_id = ?")
        guard try Int.fetchOne(exists, arguments: [jobID, agentID]) != nil else {
            throw StoreError(.notFound, "no run \(jobID)/\(agentID)")
        }
        return false
    }

    /// Marks `undelivered` every queued or offered run of a running job whose delivery deadline has
    /// passed, and returns those runs.
    public func expireUndelivered(now: Date) async throws -> [RunKey] {
        try await writer.write { db in
            let time = now.databaseMilliseconds
            let expiredJobs = JobRecord
                .filter(JobRecord.Columns.status == JobStatus.running && JobRecord.Columns.deliveryDeadline <= time)
                .select(JobRecord.Columns.id)
            return try RunRecord
                .filter([RunStatus.offered, RunStatus.queued].contains(RunRecord.Columns.status))
                .filter(expiredJobs.contains(RunRecord.Columns.jobID))
                .updateAndFetchAll(db, [
                    RunRecord.Columns.status.set(to: RunStatus.undelivered),
                    RunRecord.Columns.finishedAt.set(to: time),
                ])
                .map(\.key)
                .sorted { ($0.jobID, $0.agentID) < ($1.jobID, $1.agentID) }
        }
    }

    /// Runs (running or rebooting) that started longer ago than their job's timeout, oldest first.
    public func runsNeedingTimeout(now: Date) async throws -> [RunRecord] {
        try await writer.read { db in
            try RunRecord.fetchAll(db, SQLRequest(literal: """
                SELECT runs.* FROM runs JOIN jobs ON jobs.id = runs.job_id
                WHERE runs.status IN \([RunStatus.running, RunStatus.rebooting])
                  AND runs.started_at IS NOT NULL
                  AND runs.started_at + jobs.timeout_ms <= \(now.databaseMilliseconds)
                ORDER BY runs.started_at, runs.job_id, runs.agent_id
                """))
        }
    }

    static let inFlightStatuses = RunStatus.inFlight.sorted { $0.rawValue < $1.rawValue }
    /// `('offered', 'queued', ...)`, for hand-written hot statements (raw values of our own enum, not input).
    static let inFlightSQL = "(" + inFlightStatuses.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"

    static func runRequest(jobID: String, agentID: String) -> QueryInterfaceRequest<RunRecord> {
        RunRecord.filter(RunRecord.Columns.jobID == jobID && RunRecord.Columns.agentID == agentID)
    }
}
