import Crypto
import Foundation
import StewardProtocol
import SwiftProtobuf

/// Job offers against a verifier holding a fixed controller key.
///
/// Unsigned input must never verify, except with the one signature the key itself makes for those
/// exact bytes (Ed25519 signing is deterministic). Input signed with the key must be judged exactly
/// as `expectedOutcome`, a plain restatement of the rules; an accepted offer is refused as a replay
/// the second time, and with any one bit of its signature flipped.
enum JobOfferInvariants {
    static let name = FuzzTarget.payloads.rawValue
    static let agentID = "agt-fuzz"
    static let now: Int64 = 1_800_000_000_000
    static let skew: Int64 = 60_000
    static let key: Curve25519.Signing.PrivateKey = {
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x5A, count: 32))
        } catch {
            preconditionFailure("a 32-byte Ed25519 seed is always a valid key: \(error)")
        }
    }()
    static let verifier: JobVerifier = {
        do {
            return try JobVerifier(publicKey: Array(key.publicKey.rawRepresentation), agentID: agentID, allowedSkewMilliseconds: skew)
        } catch {
            preconditionFailure("the fixed public key is valid: \(error)")
        }
    }()
    /// The signed message is this prefix and the spec bytes (see `JobOffer.signature` in steward.proto).
    static let context = Array("steward-job-v1\u{0}".utf8)

    static func sign(_ spec: [UInt8]) throws -> [UInt8] { Array(try key.signature(for: context + spec)) }

    static func checkUnsigned(_ input: inout FuzzInput) throws {
        var offer = Wire.JobOffer()
        offer.spec = Data(input.shortBytes())
        offer.signature = Data(input.bytes(input.bool() ? 64 : Int(input.byte())))
        let genuine = try Array(offer.signature) == sign(Array(offer.spec))
        let outcome = verify(offer, at: now + Int64(input.integer(Int32.self)))
        try invariant(genuine || outcome == .failure(.badSignature), name, "unsigned offer gave \(outcome) instead of bad_signature")
    }

    static func checkSigned(spec: [UInt8], _ input: inout FuzzInput) throws {
        var offer = Wire.JobOffer()
        offer.spec = Data(spec)
        offer.signature = Data(try sign(spec))
        let at = now + Int64(input.integer(Int32.self))
        var cache = ReplayCache()
        let outcome = verify(offer, at: at, cache: &cache)
        let expected = expectedOutcome(spec, at: at)
        try invariant(outcome == expected, name, "signed offer gave \(outcome), the rules say \(expected)")
        if case .success = outcome {
            let replay = verify(offer, at: at, cache: &cache)
            try invariant(replay == .failure(.replayed), name, "second delivery of a job gave \(replay)")
        }
        var tampered = offer
        var signature = Array(offer.signature)
        let bit = Int(input.byte())
        signature[bit / 8 % signature.count] ^= 1 << (bit % 8)
        tampered.signature = Data(signature)
        let forged = verify(tampered, at: at)
        try invariant(forged == .failure(.badSignature), name, "signature with a flipped bit gave \(forged)")
    }

    enum Outcome: Equatable, CustomStringConvertible {
        case success(Wire.JobSpec)
        case failure(JobVerificationError.Code)
        case unexpected(String)

        var description: String {
            switch self {
            case .success(let spec): "success(\(spec.jobID))"
            case .failure(let code): "failure(\(code))"
            case .unexpected(let error): "unexpected error \(error)"
            }
        }
    }

    static func verify(_ offer: Wire.JobOffer, at time: Int64) -> Outcome {
        var cache = ReplayCache()
        return verify(offer, at: time, cache: &cache)
    }

    static func verify(_ offer: Wire.JobOffer, at time: Int64, cache: inout ReplayCache) -> Outcome {
        do {
            return .success(try verifier.verify(offer, nowMilliseconds: time, replayCache: &cache))
        } catch let error as JobVerificationError {
            return .failure(error.code)
        } catch {
            return .unexpected("\(type(of: error)): \(error)")
        }
    }

    /// The verification rules restated in wide arithmetic, for a correctly signed spec.
    static func expectedOutcome(_ bytes: [UInt8], at time: Int64) -> Outcome {
        guard let spec = try? Wire.JobSpec(serializedBytes: bytes) else { return .failure(.malformed) }
        guard !spec.jobID.isEmpty, spec.nonce.count >= 16, spec.expiresMs > spec.notBeforeMs else { return .failure(.malformed) }
        guard spec.agentID == agentID else { return .failure(.wrongAgent) }
        guard Int128(time) + Int128(skew) >= Int128(spec.notBeforeMs) else { return .failure(.notYetValid) }
        guard Int128(time) - Int128(skew) <= Int128(spec.expiresMs) else { return .failure(.expired) }
        return .success(spec)
    }

    /// A time near now, anywhere, or near either end of Int64 (where arithmetic on it overflows).
    static func instant(_ input: inout FuzzInput) -> Int64 {
        switch input.byte() % 4 {
        case 0: now + Int64(input.integer(Int32.self))
        case 1: input.integer(Int64.self)
        case 2: .max - Int64(input.integer(UInt16.self))
        default: .min + Int64(input.integer(UInt16.self))
        }
    }

    /// A spec built from fields, so the fuzzer reaches the checks after the signature.
    static func spec(from input: inout FuzzInput) -> [UInt8] {
        var spec = Wire.JobSpec()
        spec.jobID = String(decoding: input.bytes(Int(input.byte() % 32)), as: UTF8.self)
        spec.agentID = input.bool() ? agentID : String(decoding: input.bytes(Int(input.byte() % 16)), as: UTF8.self)
        spec.action.kind = Wire.ActionKind(rawValue: Int(input.byte() % 8)) ?? .unspecified
        spec.notBeforeMs = instant(&input)
        spec.expiresMs = instant(&input)
        spec.nonce = Data(input.bytes(Int(input.byte() % 33)))
        spec.timeoutMs = input.integer(UInt32.self)
        return (try? spec.serializedBytes()) ?? []
    }
}
