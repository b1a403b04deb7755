import Crypto
import Foundation
import Logging
import StewardProtocol

/// Turns a valid join token and CSR into an enrolled agent with a certificate bound to its id.
public struct EnrollmentService: Sendable {
    let database: StewardDatabase
    let authority: CertificateAuthority
    let certificateValidity: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        database: StewardDatabase,
        authority: CertificateAuthority,
        certificateValidity: Duration = .seconds(30 * 24 * 3600),
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.authority = authority
        self.certificateValidity = certificateValidity
        self.logger = logger
        self.now = now
    }

    /// Enrolls the agent or throws an `EnrollmentError` whose message is safe to show the agent.
    public func enroll(_ request: Wire.EnrollRequest, peer: String) async throws -> Wire.EnrollResponse {
        guard request.tokenSecret.count == 32 else { throw EnrollmentError("malformed join token") }
        guard request.name.count <= 63, TargetSelector.isName(request.name) else {
            throw EnrollmentError("invalid agent name '\(request.name.prefix(80))': use letters, digits, '.', '_' and '-' (max 63)")
        }
        let created = now()
        let agentID = StewardID.make(now: created).lowercased()
        let issued: IssuedCertificate
        do {
            issued = try authority.issueAgentCertificate(csrDER: Array(request.csrDer), agentID: agentID, validity: certificateValidity, now: created)
        } catch {
            throw EnrollmentError("certificate request refused: \(error)")
        }
        let agent = AgentRecord(
            id: agentID,
            name: request.name,
            status: .active,
            labels: [:],
            facts: request.factsJson.isEmpty ? nil : Data(request.factsJson),
            agentVersion: request.agentVersion,
            bootID: nil,
            certSerial: issued.serial,
            certNotAfter: issued.notAfter,
            enrolledAt: created,
            lastSeenAt: nil,
            revokedAt: nil
        )
        let enrolled: AgentRecord
        do {
            enrolled = try await database.enrollAgent(secretHash: Data(SHA256.hash(data: request.tokenSecret)), agent: agent, now: created)
        } catch let error as StoreError {
            logger.warning("enrollment refused", metadata: ["peer": "\(peer)", "agent.name": "\(request.name)", "reason": "\(error.code)"])
            throw EnrollmentError(Self.describe(error))
        }
        logger.info("agent enrolled", metadata: ["agent.id": "\(agentID)", "agent.name": "\(request.name)", "peer": "\(peer)"])
        var response = Wire.EnrollResponse()
        response.agentID = agentID
        response.certificateDer = Data(issued.der)
        response.caCertificateDer = Data(authority.caCertificateDER)
        response.jobSigningPublicKey = authority.jobSigningKey.publicKey.rawRepresentation
        response.labels = enrolled.labels
        return response
    }

    static func describe(_ error: StoreError) -> String {
        switch error.code {
        case .tokenUnknown: "join token is not valid"
        case .tokenExpired: "join token has expired"
        case .tokenExhausted: "join token has already been used"
        case .nameTaken: "an agent with this name is already enrolled"
        default: "enrollment failed"
        }
    }
}

/// An enrollment refusal, worded for the agent's operator.
public struct EnrollmentError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
