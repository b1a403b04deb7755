import Foundation

/// Follows a job through the API until every run is final, reporting progress and output as they come.
public struct JobFollower: Sendable {
    let client: StewardClient
    let pollInterval: Duration

    public init(client: StewardClient, pollInterval: Duration = .milliseconds(200)) {
        self.client = client
        self.pollInterval = pollInterval
    }

    /// Something worth showing while a job runs.
    public enum Event: Sendable {
        /// A run reached a final state; `done` of `total` hosts have answered.
        case runFinished(API.Run, done: Int, total: Int)
        /// Complete lines of output from one host.
        case output(host: String, stream: String, text: String)
    }

    /// Streams events to `report` and returns the finished job.
    public func follow(jobID: String, streamOutput: Bool, report: @Sendable (Event) -> Void) async throws -> API.Job {
        var seenFinal = Set<String>()
        var cursor: Int64 = 0
        var partial: [String: String] = [:]
        var names: [String: String] = [:]
        while true {
            let job: API.Job = try await client.get("/api/v1/jobs/\(jobID)")
            for run in job.runs { names[run.agentID] = run.agentName }
            if streamOutput {
                while true {
                    let page: API.OutputPage = try await client.get("/api/v1/jobs/\(job.id)/output?after=\(cursor)")
                    for chunk in page.chunks {
                        let key = "\(chunk.agentID)/\(chunk.stream)"
                        let text = (partial[key] ?? "") + String(decoding: chunk.data, as: UTF8.self)
                        if let lastNewline = text.lastIndex(of: "\n") {
                            report(.output(host: names[chunk.agentID] ?? chunk.agentID, stream: chunk.stream,
                                           text: String(text[..<lastNewline])))
                            partial[key] = String(text[text.index(after: lastNewline)...])
                        } else {
                            partial[key] = text
                        }
                    }
                    cursor = page.next
                    if page.chunks.count < 500 { break }
                }
            }
            for run in job.runs where run.final && !seenFinal.contains(run.agentID) {
                seenFinal.insert(run.agentID)
                report(.runFinished(run, done: seenFinal.count, total: job.runs.count))
            }
            if job.status != "running" || job.runs.allSatisfy(\.final) {
                for (key, rest) in partial.sorted(by: { $0.key < $1.key }) where !rest.isEmpty {
                    let parts = key.split(separator: "/").map(String.init)
                    report(.output(host: names[parts[0]] ?? parts[0], stream: parts.count > 1 ? parts[1] : "stdout", text: rest))
                }
                return job
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}
