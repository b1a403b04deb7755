import Foundation
import GRDB

/// How recording a result went.
public struct RunFinish: Sendable, Hashable {
    /// False when the run was already final (a replayed result): nothing changed.
    public var recorded: Bool
    /// The result was the job's last pending run, and the job is now finished.
    public var jobFinished: Bool
    /// The job has a batch size or an error budget, so this result may let queued runs start.
    public var jobIsPaced: Bool = false
    /// Jobs with a run of the same agent still queued (waiting for one of its job slots, at most 16):
    /// the slot this result freed may let one start.
    public var agentQueuedJobIDs: [String] = []
}

extension StewardDatabase {
    /// Records a run's result (as ``finishRun(jobID:agentID:result:)``) and, in the same transaction,
    /// finishes its job when no run is left in flight: one commit for the common case.
    public func recordResult(jobID: String, agentID: String, result: RunResult, at now: Date) async throws -> RunFinish {
        guard result.status.isFinal else {
            throw StoreError(.invalidArgument, "run result status \(result.status.rawValue) is not final")
        }
        return try await grouped.write { db in
            guard try Self.finishRun(db, jobID: jobID, agentID: agentID, result: result) else {
                return RunFinish(recorded: false, jobFinished: false)
            }
            // Served by the partial index `runs_queued_on_agent`: empty, and cheap, for an agent with no backlog.
            let waiting = try db.cachedStatement(sql: """
                SELECT job_id FROM runs WHERE agent_id = ? AND status = 'queued' ORDER BY job_id LIMIT 16
                """)
            let queued = try String.fetchAll(waiting, arguments: [agentID])
            if try Self.finishJobIfDone(db, jobID: jobID, at: now) {
                return RunFinish(recorded: true, jobFinished: true, agentQueuedJobIDs: queued)
            }
            let paced = try db.cachedStatement(sql: "SELECT batch_size IS NOT NULL OR max_errors IS NOT NULL FROM jobs WHERE id = ?")
            return RunFinish(
                recorded: true, jobFinished: false, jobIsPaced: try Bool.fetchOne(paced, arguments: [jobID]) ?? false,
                agentQueuedJobIDs: queued)
        }
    }

    /// Agents whose run of this job is queued, in agent id order, at most `limit`.
    public func queuedAgentIDs(jobID: String, limit: Int = Int.max) async throws -> [String] {
        try await writer.read { db in
            let queued = try db.cachedStatement(sql: """
                SELECT agent_id FROM runs WHERE job_id = ? AND status = ? ORDER BY agent_id LIMIT ?
                """)
            return try String.fetchAll(queued, arguments: [jobID, RunStatus.queued, limit])
        }
    }

    /// Moves these agents' runs of the job from `queued` to `offered` and returns the agents whose run
    /// moved, keeping at most `batchSize` runs offered or running. A run another caller claimed first is
    /// left out, so no offer is ever signed or sent twice; and because the batch is counted in the same
    /// transaction as the claim, results arriving together cannot start more runs than the batch allows.
    /// An agent that already has `perAgentLimit` runs offered or running (over all jobs) keeps this one queued.
    public func claimQueuedRuns(
        jobID: String, agentIDs: [String], batchSize: Int? = nil, perAgentLimit: Int = Int.max, at now: Date
    ) async throws -> [String] {
        guard !agentIDs.isEmpty else { return [] }
        return try await grouped.write { db in
            var capacity = Int.max
            if let batchSize {
                let active = try RunRecord.all().forJob(jobID)
                    .filter([RunStatus.offered, RunStatus.running].contains(RunRecord.Columns.status))
                    .fetchCount(db)
                capacity = max(1, batchSize) - active
            }
            let time = now.databaseMilliseconds
            var claimed: [String] = []
            // The agent's active runs are counted from the partial index `runs_active_on_agent`.
            let statement = try db.cachedStatement(sql: """
                UPDATE runs SET status = 'offered', offered_at = ? WHERE job_id = ? AND agent_id = ? AND status = 'queued'
                  AND (SELECT COUNT(*) FROM runs AS busy WHERE busy.agent_id = ? AND busy.status IN \(Self.activeSQL)) < ?
                """)
            for agentID in agentIDs where claimed.count < capacity {
                try statement.execute(arguments: [time, jobID, agentID, agentID, perAgentLimit])
                if db.changesCount == 1 { claimed.append(agentID) }
            }
            return claimed
        }
    }

    /// Ends every queued run of the job as `skipped` with this reason; returns how many.
    @discardableResult
    public func skipQueuedRuns(jobID: String, reason: String, at now: Date) async throws -> Int {
        try await grouped.write { db in
            try RunRecord.all().forJob(jobID)
                .filter(RunRecord.Columns.status == RunStatus.queued)
                .updateAll(db, [
                    RunRecord.Columns.status.set(to: RunStatus.skipped),
                    RunRecord.Columns.error.set(to: reason),
                    RunRecord.Columns.finishedAt.set(to: now.databaseMilliseconds),
                ])
        }
    }

    /// Runs of the job that ended in a status counted against its error budget (one probe of the
    /// job/status index per status, not a walk over the job's runs).
    public func failureCount(jobID: String) async throws -> Int {
        try await writer.read { db in
            try RunRecord.all().forJob(jobID)
                .filter(RunStatus.allCases.filter(\.countsAsError).contains(RunRecord.Columns.status))
                .fetchCount(db)
        }
    }
}
