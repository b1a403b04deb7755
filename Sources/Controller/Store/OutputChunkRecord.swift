import Foundation
import GRDB

/// Which output stream of a run a chunk belongs to.
public enum OutputStreamKind: Int, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case stdout = 0
    case stderr = 1
}

/// A piece of a run's output (a row of `output_chunks`), unique by job, agent, stream and offset.
public struct OutputChunkRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "output_chunks"

    /// Arrival order across the whole table; `nil` before insertion. Never reused, so it is a stable cursor.
    public var seq: Int64?
    public var jobID: String
    public var agentID: String
    public var stream: OutputStreamKind
    /// Byte offset of `data` within its stream.
    public var offset: Int64
    public var data: Data

    public init(seq: Int64? = nil, jobID: String, agentID: String, stream: OutputStreamKind, offset: Int64, data: Data) {
        self.seq = seq
        self.jobID = jobID
        self.agentID = agentID
        self.stream = stream
        self.offset = offset
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case seq, stream, offset, data
        case jobID = "job_id"
        case agentID = "agent_id"
    }

    /// Typed column names for query building.
    public enum Columns {
        public static let seq = Column(CodingKeys.seq)
        public static let jobID = Column(CodingKeys.jobID)
        public static let agentID = Column(CodingKeys.agentID)
        public static let stream = Column(CodingKeys.stream)
        public static let offset = Column(CodingKeys.offset)
        public static let data = Column(CodingKeys.data)
    }
}
