import Foundation
import GRDB

extension StewardDatabase {
    /// Deletes jobs that are over (finished or cancelled) and were created before `cutoff`, with their
    /// runs and output (by cascade). Returns the number of jobs deleted. Works in transactions of at most
    /// `batchSize` jobs, so a first sweep over years of history never holds the writer for long.
    @discardableResult
    public func pruneJobs(olderThan cutoff: Date, batchSize: Int = 50) async throws -> Int {
        try await inBatches { db in
            try db.execute(sql: """
                DELETE FROM jobs WHERE id IN (
                  SELECT id FROM jobs WHERE status != ? AND created_at < ? ORDER BY created_at LIMIT ?)
                """, arguments: [JobStatus.running, cutoff.databaseMilliseconds, batchSize])
            return db.changesCount
        } until: { $0 < batchSize }
    }

    /// Deletes the output of jobs that are over and were created before `cutoff` (and not before `since`,
    /// where an earlier sweep already went), keeping the jobs and runs: history stays, only the bulky part
    /// goes. Returns the number of chunks deleted. Walks the jobs in creation order, `batchSize` jobs per
    /// transaction.
    @discardableResult
    public func pruneOutput(olderThan cutoff: Date, since: Date? = nil, batchSize: Int = 500) async throws -> Int {
        var cursor = (createdAt: since?.databaseMilliseconds ?? Int64.min, id: "")
        var total = 0
        while true {
            let after = cursor
            let page = try await writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, created_at, status FROM jobs WHERE created_at < ? AND (created_at, id) > (?, ?)
                    ORDER BY created_at, id LIMIT ?
                    """, arguments: [cutoff.databaseMilliseconds, after.createdAt, after.id, batchSize])
                .map { (id: $0["id"] as String, createdAt: $0["created_at"] as Int64, over: ($0["status"] as String) != JobStatus.running.rawValue) }
            }
            guard let last = page.last else { return total }
            cursor = (createdAt: last.createdAt, id: last.id)
            let over = page.filter(\.over).map(\.id)
            total += try await writer.write { db in
                try OutputChunkRecord.filter(over.contains(OutputChunkRecord.Columns.jobID)).deleteAll(db)
            }
            await Task.yield()
        }
    }

    /// Runs `batch` in its own write transaction until `done` says the last one was the end; returns the total.
    private func inBatches(_ batch: @escaping @Sendable (Database) throws -> Int, until done: (Int) -> Bool) async throws -> Int {
        var total = 0
        while true {
            let count = try await writer.write { db in try batch(db) }
            total += count
            if done(count) { return total }
            await Task.yield()
        }
    }
}
