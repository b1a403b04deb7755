import Crypto
import SwiftProtobuf

/// Why the agent refuses a job before looking at its own policy.
public struct JobVerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let raw: String
        public var description: String { raw }

        public static let malformed = Code(raw: "malformed")
        public static let badSignature = Code(raw: "bad_signature")
        public static let wrongAgent = Code(raw: "wrong_agent")
        public static let notYetValid = Code(raw: "not_yet_valid")
        public static let expired = Code(raw: "expired")
        public static let replayed = Code(raw: "replayed")
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }
}

/// Checks a signed job offer: signature, addressee, time window, replay.
///
/// The order matters: nothing inside the spec is trusted before the signature is checked.
public struct JobVerifier: Sendable {
    private let key: Curve25519.Signing.PublicKey
    public let agentID: String
    /// Clock skew tolerated between controller and agent.
    public let allowedSkewMilliseconds: Int64

    public init(publicKey: [UInt8], agentID: String, allowedSkewMilliseconds: Int64 = 60_000) throws {
        do {
            self.key = try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        } catch {
            throw JobVerificationError(.malformed, "job-signing public key is not a valid Ed25519 key")
        }
        self.agentID = agentID
        self.allowedSkewMilliseconds = allowedSkewMilliseconds
    }

    /// Verifies `offer` at `nowMilliseconds` and records it in `replayCache` when it passes.
    public func verify(_ offer: Wire.JobOffer, nowMilliseconds: Int64, replayCache: inout ReplayCache) throws -> Wire.JobSpec {
        guard key.isValidSignature(offer.signature, for: JobSignatureContext.message(spec: Array(offer.spec))) else {
            throw JobVerificationError(.badSignature, "signature does not verify with the controller's job key")
        }
        let spec: Wire.JobSpec
        do {
            spec = try Wire.JobSpec(serializedBytes: offer.spec)
        } catch {
            throw JobVerificationError(.malformed, "signed spec does not decode")
        }
        guard !spec.jobID.isEmpty, spec.nonce.count >= 16, spec.expiresMs > spec.notBeforeMs else {
            throw JobVerificationError(.malformed, "spec lacks a job id, nonce or valid time window")
        }
        guard spec.agentID == agentID else {
            throw JobVerificationError(.wrongAgent, "job \(spec.jobID) is addressed to \(spec.agentID), not \(agentID)")
        }
        guard nowMilliseconds + allowedSkewMilliseconds >= spec.notBeforeMs else {
            throw JobVerificationError(.notYetValid, "job \(spec.jobID) is not valid before \(spec.notBeforeMs)")
        }
        guard nowMilliseconds - allowedSkewMilliseconds <= spec.expiresMs else {
            throw JobVerificationError(.expired, "job \(spec.jobID) expired at \(spec.expiresMs)")
        }
        // Saturating: a signed spec may carry any Int64 expiry, and overflow here would trap the agent.
        let (keepUntil, overflow) = spec.expiresMs.addingReportingOverflow(allowedSkewMilliseconds)
        guard replayCache.insert(jobID: spec.jobID, expiresMilliseconds: overflow ? .max : keepUntil) else {
            throw JobVerificationError(.replayed, "job \(spec.jobID) was already received")
        }
        return spec
    }
}
