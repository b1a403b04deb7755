import Foundation
import GRDB

/// An enrollment token (a row of `enrollment_tokens`); only a hash of its secret is stored.
public struct EnrollmentTokenRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord,
    MillisecondTimestamps
{
    public static let databaseTableName = "enrollment_tokens"

    public var id: String
    public var secretHash: Data
    /// Labels given to every agent that enrolls with this token (they override the agent's own).
    public var labels: [String: String]
    public var createdAt: Date
    public var expiresAt: Date
    public var maxUses: Int
    public var uses: Int
    public var createdBy: String
    public var revokedAt: Date?

    public init(
        id: String,
        secretHash: Data,
        labels: [String: String] = [:],
        createdAt: Date,
        expiresAt: Date,
        maxUses: Int = 1,
        uses: Int = 0,
        createdBy: String,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.secretHash = secretHash
        self.labels = labels
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.maxUses = maxUses
        self.uses = uses
        self.createdBy = createdBy
        self.revokedAt = revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, labels, uses
        case secretHash = "secret_hash"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case maxUses = "max_uses"
        case createdBy = "created_by"
        case revokedAt = "revoked_at"
    }

    /// Typed column names for query building.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let secretHash = Column(CodingKeys.secretHash)
        public static let labels = Column(CodingKeys.labels)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let maxUses = Column(CodingKeys.maxUses)
        public static let uses = Column(CodingKeys.uses)
        public static let createdBy = Column(CodingKeys.createdBy)
        public static let revokedAt = Column(CodingKeys.revokedAt)
    }

    /// Why this token cannot enroll an agent at `now`, or `nil` if it can.
    func refusal(at now: Date) -> StoreError? {
        if revokedAt != nil {
            return StoreError(.tokenExpired, "enrollment token \(id) was revoked")
        }
        if expiresAt <= now {
            return StoreError(.tokenExpired, "enrollment token \(id) expired")
        }
        if uses >= maxUses {
            return StoreError(.tokenExhausted, "enrollment token \(id) has no uses left (\(uses)/\(maxUses))")
        }
        return nil
    }
}
