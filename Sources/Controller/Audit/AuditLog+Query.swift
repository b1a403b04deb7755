import Foundation
import GRDB

extension AuditLog {
    /// Audit rows newest first (by seq, the chain's order), filtered by every argument given.
    ///
    /// - Parameters:
    ///   - since: only events at or after this time.
    ///   - actor: only events by this exact actor (`slack:U123`).
    ///   - host: only events about this agent.
    ///   - jobID: only events of this job.
    ///   - limit: page size, clamped to 1...10,000.
    ///   - before: only rows with a smaller seq: pass the last seq of the previous page to get the next one.
    public func events(
        since: Date? = nil,
        actor: String? = nil,
        host: String? = nil,
        jobID: String? = nil,
        limit: Int = 100,
        before seq: Int64? = nil
    ) async throws -> [AuditRecord] {
        try await database.writer.read { db in
            var request = AuditRecord.all()
            if let since {
                request = request.filter(AuditRecord.Columns.at >= since.databaseMilliseconds)
            }
            if let actor {
                request = request.filter(AuditRecord.Columns.actor == actor)
            }
            if let host {
                request = request.filter(AuditRecord.Columns.host == host)
            }
            if let jobID {
                request = request.filter(AuditRecord.Columns.jobID == jobID)
            }
            if let seq {
                request = request.filter(AuditRecord.Columns.seq < seq)
            }
            return try request.order(AuditRecord.Columns.seq.desc)
                .limit(StewardDatabase.clampedLimit(limit))
                .fetchAll(db)
        }
    }
}
