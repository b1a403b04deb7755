import Foundation
import GRDB

/// One row of the hash-chained audit trail (`audit_events`); written only by ``AuditLog``.
public struct AuditRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord, MillisecondTimestamps {
    public static let databaseTableName = "audit_events"

    /// Position in the chain: 1, 2, 3... with no gaps.
    public var seq: Int64
    /// A ``StewardID`` (time-ordered).
    public var id: String
    public var at: Date
    public var kind: AuditKind
    public var actor: String
    public var room: String?
    public var host: String?
    public var jobID: String?
    public var summary: String
    /// The details object exactly as stored and hashed (JSON text).
    public var detailsJSON: String
    /// The previous row's ``hash`` (32 zero bytes for the first row).
    public var prevHash: Data
    /// SHA-256 over this row's canonical encoding, `prevHash` included.
    public var hash: Data

    enum CodingKeys: String, CodingKey {
        case seq, id, at, kind, actor, room, host, summary, hash
        case jobID = "job_id"
        case detailsJSON = "details"
        case prevHash = "prev_hash"
    }

    /// Typed column names for query building.
    public enum Columns {
        public static let seq = Column(CodingKeys.seq)
        public static let id = Column(CodingKeys.id)
        public static let at = Column(CodingKeys.at)
        public static let kind = Column(CodingKeys.kind)
        public static let actor = Column(CodingKeys.actor)
        public static let room = Column(CodingKeys.room)
        public static let host = Column(CodingKeys.host)
        public static let jobID = Column(CodingKeys.jobID)
        public static let summary = Column(CodingKeys.summary)
        public static let details = Column(CodingKeys.detailsJSON)
        public static let prevHash = Column(CodingKeys.prevHash)
        public static let hash = Column(CodingKeys.hash)
    }

    /// The details as strings. ``AuditLog`` only writes string values; should a row hold anything else
    /// (written by another tool), that value is shown as its JSON text rather than dropped.
    public var details: [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(detailsJSON.utf8)) as? [String: Any] else {
            return [:]
        }
        return object.mapValues { value in
            if let text = value as? String { return text }
            guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
            else { return "\(value)" }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
