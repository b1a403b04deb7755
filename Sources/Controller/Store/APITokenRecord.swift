import Foundation
import GRDB

/// A bearer token for the HTTP API (a row of `api_tokens`); only its hash is stored.
public struct APITokenRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord, MillisecondTimestamps {
    public static let databaseTableName = "api_tokens"

    public var id: String
    public var name: String
    public var tokenHash: Data
    /// The policy role the token acts as.
    public var role: String
    public var createdAt: Date
    public var lastUsedAt: Date?

    public init(id: String, name: String, tokenHash: Data, role: String, createdAt: Date, lastUsedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.tokenHash = tokenHash
        self.role = role
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, role
        case tokenHash = "token_hash"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
    }

    /// Typed column names for query building.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let role = Column(CodingKeys.role)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let lastUsedAt = Column(CodingKeys.lastUsedAt)
    }
}
