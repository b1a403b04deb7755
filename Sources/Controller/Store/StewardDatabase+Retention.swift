import Foundation
import GRDB

extension StewardDatabase {
    /// Deletes jobs that are over (finished or cancelled) and were created before `cutoff`, with their
    /// runs and output (by cascade). Returns the number of jobs deleted.
    @discardableResult
    public func pruneJobs(olderThan cutoff: Date) async throws -> Int {
        try await writer.write { db in
            try JobRecord
                .filter(JobRecord.Columns.status != JobStatus.running)
                .filter(JobRecord.Columns.createdAt < cutoff.databaseMilliseconds)
                .deleteAll(db)
        }
    }

    /// Deletes the output of jobs that are over and were created before `cutoff`, keeping the jobs and
    /// runs (history stays; only the bulky part goes). Returns the number of chunks deleted.
    @discardableResult
    public func pruneOutput(olderThan cutoff: Date) async throws -> Int {
        try await writer.write { db in
            let oldJobs = JobRecord
                .filter(JobRecord.Columns.status != JobStatus.running)
                .filter(JobRecord.Columns.createdAt < cutoff.databaseMilliseconds)
                .select(JobRecord.Columns.id)
            return try OutputChunkRecord.filter(oldJobs.contains(OutputChunkRecord.Columns.jobID)).deleteAll(db)
        }
    }
}
