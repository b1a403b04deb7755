import Foundation
import StewardProtocol

/// What `FuzzPayloads` checks: the parsers for data that arrives inside messages or from users.
///
/// Input: one byte picking the parser, then its bytes. Join tokens parse only in their one canonical
/// spelling and round-trip; job offers verify only with the controller's genuine signature and are
/// judged exactly as a reference model of the rules says (`JobOfferInvariants`); HostFacts and
/// HostMetrics JSON that decodes also encodes and decodes to an equal value; the replay cache file
/// round-trips.
public enum PayloadInvariants {
    static let name = FuzzTarget.payloads.rawValue

    public enum Parser: UInt8, CaseIterable, Sendable {
        case joinTokenText, joinTokenFields, unsignedJobOffer, signedJobSpecBytes, signedJobSpecFields
        case hostFactsJSON, hostMetricsJSON, replayCacheText
    }

    public static func input(_ parser: Parser, _ bytes: [UInt8]) -> [UInt8] { [parser.rawValue] + bytes }

    public static func check(_ data: [UInt8]) throws {
        var input = FuzzInput(data)
        switch Parser(rawValue: input.byte() % UInt8(Parser.allCases.count)) ?? .joinTokenText {
        case .joinTokenText: try checkTokenText(String(decoding: input.rest(), as: UTF8.self))
        case .joinTokenFields: try checkTokenFields(&input)
        case .unsignedJobOffer: try JobOfferInvariants.checkUnsigned(&input)
        case .signedJobSpecBytes: try JobOfferInvariants.checkSigned(spec: input.shortBytes(), &input)
        case .signedJobSpecFields: try JobOfferInvariants.checkSigned(spec: JobOfferInvariants.spec(from: &input), &input)
        case .hostFactsJSON: try checkJSONRoundTrip(HostFacts.self, input.rest())
        case .hostMetricsJSON: try checkJSONRoundTrip(HostMetrics.self, input.rest())
        case .replayCacheText: try checkReplayCache(String(decoding: input.rest(), as: UTF8.self))
        }
    }

    static func checkTokenText(_ text: String) throws {
        let token: JoinToken
        do {
            token = try JoinToken(parsing: text)
        } catch is TokenError {
            return
        } catch {
            throw InvariantViolation(name, "token parsing threw \(type(of: error)), not a TokenError")
        }
        try invariant(token.encoded == text, name, "token accepted in a second spelling")
        try checkToken(token)
    }

    static func checkTokenFields(_ input: inout FuzzInput) throws {
        let address = String(decoding: input.shortBytes(), as: UTF8.self)
        let fingerprint = input.bytes(input.bool() ? 32 : Int(input.byte() % 40))
        let secret = input.bytes(input.bool() ? 32 : Int(input.byte() % 40))
        let token: JoinToken
        do {
            token = try JoinToken(controller: address, caFingerprint: fingerprint, secret: secret)
        } catch is TokenError {
            return
        } catch {
            throw InvariantViolation(name, "token init threw \(type(of: error)), not a TokenError")
        }
        try checkToken(token)
    }

    /// A token we hold always survives `encoded` → `parsing`, names a usable endpoint and hides its secret.
    static func checkToken(_ token: JoinToken) throws {
        let parsed: JoinToken
        do {
            parsed = try JoinToken(parsing: token.encoded)
        } catch {
            throw InvariantViolation(name, "an encoded token does not parse: \(error)")
        }
        try invariant(parsed == token, name, "token changed in an encode/parse round trip")
        try invariant(!token.host.isEmpty && (1...65_535).contains(token.port), name, "token endpoint \(token.controller) has no host or port")
        // The fingerprint is printed on purpose; a secret equal to it cannot be told apart.
        try invariant(
            token.secret == token.caFingerprint || !token.description.contains(Hex.encode(token.secret)), name,
            "token description shows the secret")
    }

    static func checkJSONRoundTrip<T: Codable & Equatable>(_ type: T.Type, _ bytes: [UInt8]) throws {
        guard let value = try? JSONDecoder().decode(T.self, from: Data(bytes)) else { return }
        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(value)
        } catch {
            throw InvariantViolation(name, "decoded \(T.self) does not encode again: \(error)")
        }
        let again = try? JSONDecoder().decode(T.self, from: encoded)
        try invariant(again == value, name, "\(T.self) changed in a JSON round trip")
    }

    static func checkReplayCache(_ text: String) throws {
        let cache = ReplayCache(serialized: text)
        try invariant(ReplayCache(serialized: cache.serialized) == cache, name, "replay cache changed when saved and loaded again")
    }
}
