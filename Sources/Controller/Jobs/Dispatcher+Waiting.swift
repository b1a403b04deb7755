import Foundation

extension Dispatcher {
    /// Returns once the job is no longer running (every run final, or cancelled), or when `timeout`
    /// passes, whichever comes first; true if the job is over. Throws `.notFound` for an unknown job.
    ///
    /// Listens for the job's `jobFinished` event rather than polling the store, so a client waiting on a
    /// 10,000-host job costs nothing until it ends; a slow check every half second covers a job that ends
    /// without that event (cancelled while its agents were away).
    public nonisolated func waitUntilFinished(jobID: String, timeout: Duration) async throws -> Bool {
        let finished = events.subscribe()  // before the first check, so the event cannot slip between the two
        let database = self.database
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await event in finished {
                    if case .jobFinished(let id) = event, id == jobID { return true }
                }
                return false  // the controller is shutting down
            }
            group.addTask {
                while true {
                    if try await database.job(id: jobID).status != .running { return true }
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
    }
}
