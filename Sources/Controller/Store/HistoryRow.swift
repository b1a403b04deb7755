import Foundation
import GRDB

/// One line of an agent's history: a job as it ran on that agent.
public struct HistoryRow: Sendable, Hashable, FetchableRecord {
    public var jobID: String
    public var createdAt: Date
    public var requestedBy: String
    public var source: JobSource
    public var commandText: String
    /// The job's encoded action, opaque to the store.
    public var action: Data
    public var status: RunStatus
    public var exitCode: Int?
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(
        jobID: String, createdAt: Date, requestedBy: String, source: JobSource, commandText: String,
        action: Data, status: RunStatus, exitCode: Int?, startedAt: Date?, finishedAt: Date?
    ) {
        self.jobID = jobID
        self.createdAt = createdAt
        self.requestedBy = requestedBy
        self.source = source
        self.commandText = commandText
        self.action = action
        self.status = status
        self.exitCode = exitCode
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// How long the run took, when it both started and finished.
    public var duration: Duration? {
        guard let startedAt, let finishedAt else { return nil }
        return .milliseconds(finishedAt.databaseMilliseconds - startedAt.databaseMilliseconds)
    }

    public init(row: Row) throws {
        func date(_ column: String) throws -> Date? {
            try row.decode(Int64?.self, forColumn: column).map(Date.init(databaseMilliseconds:))
        }
        jobID = try row.decode(String.self, forColumn: "job_id")
        createdAt = Date(databaseMilliseconds: try row.decode(Int64.self, forColumn: "created_at"))
        requestedBy = try row.decode(String.self, forColumn: "requested_by")
        source = try row.decode(JobSource.self, forColumn: "source")
        commandText = try row.decode(String.self, forColumn: "command_text")
        action = try row.decode(Data.self, forColumn: "action")
        status = try row.decode(RunStatus.self, forColumn: "status")
        exitCode = try row.decode(Int?.self, forColumn: "exit_code")
        startedAt = try date("started_at")
        finishedAt = try date("finished_at")
    }
}
