import Foundation
import GRDB

/// Whether an enrolled agent may still connect.
public enum AgentStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case active
    case revoked
}

/// One enrolled agent (a row of `agents`).
public struct AgentRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord, MillisecondTimestamps {
    public static let databaseTableName = "agents"

    public var id: String
    public var name: String
    public var status: AgentStatus
    public var labels: [String: String]
    /// The agent's last reported facts, kept as the opaque bytes it sent.
    public var facts: Data?
    public var agentVersion: String?
    public var bootID: String?
    public var certSerial: String?
    public var certNotAfter: Date?
    public var enrolledAt: Date
    public var lastSeenAt: Date?
    public var revokedAt: Date?

    public init(
        id: String,
        name: String,
        status: AgentStatus = .active,
        labels: [String: String] = [:],
        facts: Data? = nil,
        agentVersion: String? = nil,
        bootID: String? = nil,
        certSerial: String? = nil,
        certNotAfter: Date? = nil,
        enrolledAt: Date,
        lastSeenAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.labels = labels
        self.facts = facts
        self.agentVersion = agentVersion
        self.bootID = bootID
        self.certSerial = certSerial
        self.certNotAfter = certNotAfter
        self.enrolledAt = enrolledAt
        self.lastSeenAt = lastSeenAt
        self.revokedAt = revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, status, labels, facts
        case agentVersion = "agent_version"
        case bootID = "boot_id"
        case certSerial = "cert_serial"
        case certNotAfter = "cert_not_after"
        case enrolledAt = "enrolled_at"
        case lastSeenAt = "last_seen_at"
        case revokedAt = "revoked_at"
    }

    /// Typed column names for query building.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
        public static let status = Column(CodingKeys.status)
        public static let labels = Column(CodingKeys.labels)
        public static let facts = Column(CodingKeys.facts)
        public static let agentVersion = Column(CodingKeys.agentVersion)
        public static let bootID = Column(CodingKeys.bootID)
        public static let certSerial = Column(CodingKeys.certSerial)
        public static let certNotAfter = Column(CodingKeys.certNotAfter)
        public static let enrolledAt = Column(CodingKeys.enrolledAt)
        public static let lastSeenAt = Column(CodingKeys.lastSeenAt)
        public static let revokedAt = Column(CodingKeys.revokedAt)
    }
}

extension DerivableRequest<AgentRecord> {
    /// Agents that may connect.
    func active() -> Self {
        filter(AgentRecord.Columns.status == AgentStatus.active)
    }

    /// Agents with this exact name, the active one first, then the most recently enrolled.
    func named(_ name: String) -> Self {
        filter(AgentRecord.Columns.name == name)
            .order(
                (AgentRecord.Columns.status == AgentStatus.active).desc,
                AgentRecord.Columns.enrolledAt.desc
            )
    }
}
