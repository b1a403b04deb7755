import Foundation
import GRDB

/// Where a job request came from.
public enum JobSource: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case cli
    case api
    case chat
    case demo
}

/// The life of a job as a whole; its runs carry the per-agent detail.
public enum JobStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case running
    case finished
    case cancelled
}

/// One request fanned out to agents (a row of `jobs`).
public struct JobRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord, MillisecondTimestamps {
    public static let databaseTableName = "jobs"

    /// A ``StewardID`` (time-ordered).
    public var id: String
    public var createdAt: Date
    public var requestedBy: String
    public var source: JobSource
    public var commandText: String
    /// The encoded action, opaque to the store.
    public var action: Data
    /// The target selector as the user wrote it.
    public var target: String
    public var batchSize: Int?
    public var maxErrors: Int?
    public var timeoutMs: Int64
    /// Runs still queued or offered at this time become `undelivered`.
    public var deliveryDeadline: Date
    public var status: JobStatus
    public var finishedAt: Date?

    public init(
        id: String,
        createdAt: Date,
        requestedBy: String,
        source: JobSource,
        commandText: String,
        action: Data,
        target: String,
        batchSize: Int? = nil,
        maxErrors: Int? = nil,
        timeoutMs: Int64,
        deliveryDeadline: Date,
        status: JobStatus = .running,
        finishedAt: Date? = nil
    ) {
        self.id = id
        self.createdAt = createdAt
        self.requestedBy = requestedBy
        self.source = source
        self.commandText = commandText
        self.action = action
        self.target = target
        self.batchSize = batchSize
        self.maxErrors = maxErrors
        self.timeoutMs = timeoutMs
        self.deliveryDeadline = deliveryDeadline
        self.status = status
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, source, action, target, status
        case createdAt = "created_at"
        case requestedBy = "requested_by"
        case commandText = "command_text"
        case batchSize = "batch_size"
        case maxErrors = "max_errors"
        case timeoutMs = "timeout_ms"
        case deliveryDeadline = "delivery_deadline"
        case finishedAt = "finished_at"
    }

    /// Typed column names for query building.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let requestedBy = Column(CodingKeys.requestedBy)
        public static let source = Column(CodingKeys.source)
        public static let commandText = Column(CodingKeys.commandText)
        public static let action = Column(CodingKeys.action)
        public static let target = Column(CodingKeys.target)
        public static let batchSize = Column(CodingKeys.batchSize)
        public static let maxErrors = Column(CodingKeys.maxErrors)
        public static let timeoutMs = Column(CodingKeys.timeoutMs)
        public static let deliveryDeadline = Column(CodingKeys.deliveryDeadline)
        public static let status = Column(CodingKeys.status)
        public static let finishedAt = Column(CodingKeys.finishedAt)
    }
}

extension DerivableRequest<JobRecord> {
    /// Jobs whose id starts with `prefix` (an upper-case ULID prefix), found through the primary key:
    /// a range scan rather than `LIKE`, which would neither use the index nor be safe with `%` or `_`.
    func withIDPrefix(_ prefix: String) -> Self {
        filter(JobRecord.Columns.id >= prefix && JobRecord.Columns.id < prefix + "\u{7F}")
    }
}
