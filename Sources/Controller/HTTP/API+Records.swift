import Foundation
import GRDB

extension API.Job {
    /// The API view of a stored job and its runs; `names` maps agent ids to names.
    init(record job: JobRecord, runs: [RunRecord], names: [String: String]) {
        self.init(
            id: job.id, createdAt: job.createdAt, requestedBy: job.requestedBy, source: job.source.rawValue,
            command: job.commandText, target: job.target, status: job.status.rawValue, finishedAt: job.finishedAt,
            runs: runs.map { $0.api(agentName: names[$0.agentID] ?? $0.agentID) }.sorted { $0.agentName < $1.agentName })
    }
}

extension StewardDatabase {
    /// A job with its runs, as the API and chat show it.
    /// One read, so the job, its runs and their names are one snapshot (and one trip to the database).
    func jobView(id: String) async throws -> API.Job {
        try await writer.read { db in
            let job = try Self.job(db, id: id)
            return API.Job(record: job, runs: try Self.runs(db, jobID: job.id), names: try Self.agentNames(db, jobID: job.id))
        }
    }
}
