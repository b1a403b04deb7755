import Crypto
import Foundation
import Hummingbird
import StewardProtocol

/// Creates join tokens: the secret goes to the operator once, only its hash is stored.
public struct JoinTokenIssuer: Sendable {
    let database: StewardDatabase
    let caFingerprint: [UInt8]
    /// The `host:port` agents should dial, known once the gateway is bound.
    let advertisedAddress: @Sendable () async -> String
    let now: @Sendable () -> Date

    public init(
        database: StewardDatabase, caFingerprint: [UInt8], advertisedAddress: @escaping @Sendable () async -> String,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.caFingerprint = caFingerprint
        self.advertisedAddress = advertisedAddress
        self.now = now
    }

    public func create(_ request: API.CreateToken, createdBy: String) async throws -> API.CreatedToken {
        guard (60...30 * 86_400).contains(request.ttlSeconds) else {
            throw HTTPError(.badRequest, message: "ttl must be between 1 minute and 30 days")
        }
        guard (1...10_000).contains(request.uses) else { throw HTTPError(.badRequest, message: "uses must be between 1 and 10000") }
        guard request.labels.count <= 32 else { throw HTTPError(.badRequest, message: "at most 32 labels") }
        for (key, value) in request.labels where !TargetSelector.isName(key) || !TargetSelector.isName(value) {
            throw HTTPError(.badRequest, message: "bad label '\(key)=\(value)': use letters, digits, '.', '_' and '-'")
        }
        let token = try JoinToken.generate(controller: await advertisedAddress(), caFingerprint: caFingerprint)
        let created = now()
        let expires = created.addingTimeInterval(Double(request.ttlSeconds))
        try await database.insertEnrollmentToken(EnrollmentTokenRecord(
            id: StewardID.make(now: created),
            secretHash: Data(token.secretHash),
            labels: request.labels,
            createdAt: created,
            expiresAt: expires,
            maxUses: request.uses,
            uses: 0,
            createdBy: createdBy,
            revokedAt: nil))
        return API.CreatedToken(
            token: token.encoded, command: "steward-agent enroll --token \(token.encoded)", expiresAt: expires,
            uses: request.uses, labels: request.labels)
    }
}
