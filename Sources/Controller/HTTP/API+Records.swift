import Foundation

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
    func jobView(id: String) async throws -> API.Job {
        let job = try await job(id: id)
        let runs = try await runs(jobID: job.id)
        return API.Job(record: job, runs: runs, names: try await agentNames(jobID: job.id))
    }
}
