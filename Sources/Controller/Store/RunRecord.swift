import Foundation
import GRDB

/// One job on one agent (a row of `runs`, keyed by job and agent).
public struct RunRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord, MillisecondTimestamps {
    public static let databaseTableName = "runs"

    public var jobID: String
    public var agentID: String
    public var status: RunStatus
    public var createdAt: Date
    public var offeredAt: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var exitCode: Int?
    public var signal: Int?
    public var error: String?
    /// Structured result data (JSON from the agent), opaque to the store.
    public var structured: Data?
    /// Output bytes stored so far, maintained by `appendOutput`.
    public var stdoutBytes: Int64
    public var stderrBytes: Int64
    /// The agent dropped output beyond its limit.
    public var truncated: Bool

    public init(
        jobID: String,
        agentID: String,
        status: RunStatus = .queued,
        createdAt: Date,
        offeredAt: Date? = nil,
        startedAt: Date? = nil,
        finishedAt: Date? = nil,
        exitCode: Int? = nil,
        signal: Int? = nil,
        error: String? = nil,
        structured: Data? = nil,
        stdoutBytes: Int64 = 0,
        stderrBytes: Int64 = 0,
        truncated: Bool = false
    ) {
        self.jobID = jobID
        self.agentID = agentID
        self.status = status
        self.createdAt = createdAt
        self.offeredAt = offeredAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.signal = signal
        self.error = error
        self.structured = structured
        self.stdoutBytes = stdoutBytes
        self.stderrBytes = stderrBytes
        self.truncated = truncated
    }

    /// The run's identity.
    public var key: RunKey { RunKey(jobID: jobID, agentID: agentID) }

    enum CodingKeys: String, CodingKey {
        case status, signal, error, structured, truncated
        case jobID = "job_id"
        case agentID = "agent_id"
        case createdAt = "created_at"
        case offeredAt = "offered_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case exitCode = "exit_code"
        case stdoutBytes = "stdout_bytes"
        case stderrBytes = "stderr_bytes"
    }

    /// Typed column names for query building.
    public enum Columns {
        public static let jobID = Column(CodingKeys.jobID)
        public static let agentID = Column(CodingKeys.agentID)
        public static let status = Column(CodingKeys.status)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let offeredAt = Column(CodingKeys.offeredAt)
        public static let startedAt = Column(CodingKeys.startedAt)
        public static let finishedAt = Column(CodingKeys.finishedAt)
        public static let exitCode = Column(CodingKeys.exitCode)
        public static let signal = Column(CodingKeys.signal)
        public static let error = Column(CodingKeys.error)
        public static let structured = Column(CodingKeys.structured)
        public static let stdoutBytes = Column(CodingKeys.stdoutBytes)
        public static let stderrBytes = Column(CodingKeys.stderrBytes)
        public static let truncated = Column(CodingKeys.truncated)
    }
}

extension DerivableRequest<RunRecord> {
    /// Runs of one job.
    func forJob(_ jobID: String) -> Self {
        filter(RunRecord.Columns.jobID == jobID)
    }

    /// Runs not yet in a final status.
    func inFlight() -> Self {
        filter(RunStatus.inFlight.sorted(by: { $0.rawValue < $1.rawValue }).contains(RunRecord.Columns.status))
    }
}
