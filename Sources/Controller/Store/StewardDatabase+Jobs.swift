import Foundation
import GRDB

extension StewardDatabase {
    /// The shortest job id prefix accepted by ``job(id:)``: long enough to make collisions unlikely.
    public static let minimumJobIDPrefix = 6

    /// Inserts a job and one `queued` run per agent, in one transaction.
    /// Throws `.conflict` for a duplicate job id and `.notFound` if an agent id is unknown.
    public func createJob(_ job: JobRecord, agentIDs: [String]) async throws {
        try await writer.write { db in
            do {
                try job.insert(db)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw StoreError(.conflict, "cannot insert job \(job.id): \(error.message ?? "")")
            }
            // One run per agent: a fan-out to 10,000 agents is 10,000 of each statement, so both are
            // compiled once and reused (a record insert and `exists` would compile one per row).
            let agentExists = try db.cachedStatement(sql: "SELECT 1 FROM agents WHERE id = ?")
            let insertRun = try db.cachedStatement(sql: "INSERT INTO runs (job_id, agent_id, status, created_at) VALUES (?, ?, ?, ?)")
            let createdAt = job.createdAt.databaseMilliseconds
            for agentID in Set(agentIDs).sorted() {
                guard try Int.fetchOne(agentExists, arguments: [agentID]) != nil else {
                    throw StoreError(.notFound, "no agent with id \(agentID)")
                }
                try insertRun.execute(arguments: [job.id, agentID, RunStatus.queued, createdAt])
            }
        }
    }

    /// The job with this id, or with this unique id prefix of at least ``minimumJobIDPrefix`` characters
    /// (case-insensitive). Throws `.notFound`, or `.ambiguous` when the prefix matches several jobs.
    public func job(id: String) async throws -> JobRecord {
        try await writer.read { db in try Self.job(db, id: id) }
    }

    /// ``job(id:)`` in a read the caller holds.
    static func job(_ db: Database, id: String) throws -> JobRecord {
        // Hot path (several lookups per job submitted or viewed): compiled once per connection.
        if let job = try JobRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM jobs WHERE id = ?"), arguments: [id]) {
            return job
        }
        let prefix = id.uppercased()
        guard prefix.count >= Self.minimumJobIDPrefix, prefix.count < StewardID.length,
              prefix.utf8.allSatisfy({ StewardID.alphabet.contains($0) })
        else {
            throw StoreError(.notFound, "no job \(id)")
        }
        let matches = try JobRecord.all().withIDPrefix(prefix).limit(2).fetchAll(db)
        switch matches.count {
        case 0: throw StoreError(.notFound, "no job \(id)")
        case 1: return matches[0]
        default: throw StoreError(.ambiguous, "job id prefix \(id) matches several jobs")
        }
    }

    /// The most recent jobs, newest first, optionally only those older than the job id `before`.
    public func recentJobs(limit: Int, before: String? = nil) async throws -> [JobRecord] {
        try await writer.read { db in
            var request = JobRecord.all()
            if let before {
                request = request.filter(JobRecord.Columns.id < before)
            }
            return try request.order(JobRecord.Columns.id.desc).limit(Self.clampedLimit(limit)).fetchAll(db)
        }
    }

    /// Marks a job finished once none of its runs is in flight; returns whether it changed the job.
    @discardableResult
    public func finishJobIfDone(jobID: String, at now: Date) async throws -> Bool {
        try await grouped.write { db in try Self.finishJobIfDone(db, jobID: jobID, at: now) }
    }

    /// ``finishJobIfDone(jobID:at:)`` inside a transaction. Asks whether *any* run is in flight (one
    /// probe of the job/status index) rather than counting them, which would walk every pending run.
    static func finishJobIfDone(_ db: Database, jobID: String, at now: Date) throws -> Bool {
        let pending = try db.cachedStatement(sql: """
            SELECT 1 FROM runs WHERE job_id = ? AND status IN \(Self.inFlightSQL) LIMIT 1
            """)
        guard try Int.fetchOne(pending, arguments: [jobID]) == nil else { return false }
        let finish = try db.cachedStatement(sql: "UPDATE jobs SET status = ?, finished_at = ? WHERE id = ? AND status = ?")
        try finish.execute(arguments: [JobStatus.finished, now.databaseMilliseconds, jobID, JobStatus.running])
        return db.changesCount == 1
    }

    /// Cancels a running job: its queued runs become `cancelled` at once; runs already offered or
    /// running are returned so the caller can tell their agents (they end when the agent reports).
    /// Throws `.notFound` for an unknown job; a job that is already over yields no runs.
    public func cancelJob(jobID: String, at now: Date) async throws -> [RunKey] {
        try await writer.write { db in
            guard try JobRecord.exists(db, key: jobID) else { throw StoreError(.notFound, "no job \(jobID)") }
            let changed = try JobRecord.filter(key: jobID)
                .filter(JobRecord.Columns.status == JobStatus.running)
                .updateAll(db, [
                    JobRecord.Columns.status.set(to: JobStatus.cancelled),
                    JobRecord.Columns.finishedAt.set(to: now.databaseMilliseconds),
                ])
            guard changed == 1 else { return [] }
            try RunRecord.all().forJob(jobID)
                .filter(RunRecord.Columns.status == RunStatus.queued)
                .updateAll(db, [
                    RunRecord.Columns.status.set(to: RunStatus.cancelled),
                    RunRecord.Columns.finishedAt.set(to: now.databaseMilliseconds),
                ])
            return try RunRecord.all().forJob(jobID).inFlight()
                .order(RunRecord.Columns.agentID)
                .fetchAll(db)
                .map(\.key)
        }
    }

    /// Caps a caller-supplied page size: at least one row, at most 10,000.
    static func clampedLimit(_ limit: Int) -> Int {
        min(max(limit, 1), 10_000)
    }
}
