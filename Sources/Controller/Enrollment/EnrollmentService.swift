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
    /// Failed attempts per peer address; past its budget an address is refused without a lookup.
    let limiter: EnrollmentRateLimiter

    public init(
        database: StewardDatabase,
        authority: CertificateAuthority,
        certificateValidity: Duration = .seconds(30 * 24 * 3600),
        failuresPerMinute: Int = ControllerLimits.default.enrollmentFailuresPerMinute,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.authority = authority
        self.certificateValidity = certificateValidity
        self.limiter = EnrollmentRateLimiter(failuresPerMinute: failuresPerMinute)
        self.logger = logger
        self.now = now
    }

    /// Enrolls the agent or throws an `EnrollmentError` whose message is safe to show the agent.
    /// `peer` is the agent's address (no port): failed attempts are counted against it.
    public func enroll(_ request: Wire.EnrollRequest, peer: String) async throws -> Wire.EnrollResponse {
        if let delay = limiter.delay(for: peer) {
            logger.debug("enrollment refused", metadata: ["peer": "\(peer)", "reason": "rate_limited"])
            throw EnrollmentError(.rateLimited, "too many failed enrollments from \(peer): try again in \(Self.seconds(delay)) s")
        }
        do {
            return try await attempt(request, peer: peer)
        } catch let error as EnrollmentError where error.code != .storeFailure {
            // The name is the peer's own words: cut, so a hostile one cannot flood the log.
            logger.warning("enrollment refused", metadata: [
                "peer": "\(peer)", "agent.name": "\(request.name.prefix(80))", "reason": "\(error.code)",
            ])
            if limiter.recordFailure(peer) {
                logger.warning("enrollment rate limit reached: refusing this address for now", metadata: [
                    "peer": "\(peer)", "limit.failures_per_minute": "\(limiter.failuresPerMinute)",
                ])
            }
            throw error
        } catch {
            logger.error("enrollment failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
            throw error
        }
    }

    private func attempt(_ request: Wire.EnrollRequest, peer: String) async throws -> Wire.EnrollResponse {
        guard request.tokenSecret.count == 32 else { throw EnrollmentError(.badToken, "malformed join token") }
        guard request.name.count <= 63, TargetSelector.isName(request.name) else {
            throw EnrollmentError(.badName, "invalid agent name '\(request.name.prefix(80))': use letters, digits, '.', '_' and '-' (max 63)")
        }
        let created = now()
        let agentID = StewardID.make(now: created).lowercased()
        let issued: IssuedCertificate
        do {
            issued = try authority.issueAgentCertificate(csrDER: Array(request.csrDer), agentID: agentID, validity: certificateValidity, now: created)
        } catch {
            throw EnrollmentError(.badCSR, "certificate request refused: \(error)")
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
            throw EnrollmentError(Self.code(error), Self.describe(error))
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

    static func seconds(_ delay: Duration) -> Int64 {
        max(1, delay.components.seconds + (delay.components.attoseconds > 0 ? 1 : 0))
    }

    static func code(_ error: StoreError) -> EnrollmentError.Code {
        switch error.code {
        case .tokenUnknown, .tokenExpired, .tokenExhausted: .badToken
        case .nameTaken: .badName
        default: .storeFailure
        }
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
    /// Why, as a value callers compare on (metrics, tests); new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The join token is malformed, unknown, expired or used up.
        public static let badToken = Code("bad_token")
        /// The agent name is invalid or already taken.
        public static let badName = Code("bad_name")
        /// The certificate signing request cannot be signed.
        public static let badCSR = Code("bad_csr")
        /// The store failed; not the agent's fault.
        public static let storeFailure = Code("store_failure")
        /// Too many failed attempts from this address lately (`EnrollmentRateLimiter`).
        public static let rateLimited = Code("rate_limited")
    }

    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }
}
