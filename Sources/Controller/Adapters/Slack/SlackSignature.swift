import Crypto
import Foundation

/// Slack's v0 request signing: `v0=` + hex(HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`)).
///
/// Verification runs on the raw bytes before any JSON parsing, rejects timestamps more than five minutes
/// from our clock in either direction (a captured request cannot be replayed later), and compares MACs in
/// constant time.
public enum SlackSignature {
    /// Slack's documented tolerance between its timestamp and ours.
    public static let window: TimeInterval = 5 * 60

    /// Throws a ``SlackError`` unless `signature` is Slack's signature of `body` at `timestamp`.
    public static func verify(body: [UInt8], timestamp: String?, signature: String?, secret: String, now: Date) throws {
        guard !secret.isEmpty else { throw SlackError(.missingSecret, "no Slack signing secret is configured") }
        guard let timestamp, !timestamp.isEmpty else { throw SlackError(.missingHeader, "missing X-Slack-Request-Timestamp") }
        guard let signature, !signature.isEmpty else { throw SlackError(.missingHeader, "missing X-Slack-Signature") }
        guard timestamp.utf8.count <= 12, timestamp.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let seconds = Int64(timestamp)
        else { throw SlackError(.malformedHeader, "X-Slack-Request-Timestamp is not a Unix time in seconds") }
        guard signature.hasPrefix("v0="), let mac = hexBytes(signature.utf8.dropFirst(3)), mac.count == SHA256.byteCount else {
            throw SlackError(.malformedHeader, "X-Slack-Signature is not v0= followed by 64 hex digits")
        }
        let skew = abs(now.timeIntervalSince1970 - TimeInterval(seconds))
        guard skew <= window else {
            throw SlackError(.staleTimestamp, "request timestamp is \(Int(skew)) s away from our clock (limit \(Int(window)) s)")
        }
        let key = SymmetricKey(data: Data(secret.utf8))
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: basestring(body: body, timestamp: timestamp), using: key) else {
            throw SlackError(.signatureMismatch, "X-Slack-Signature does not match the request")
        }
    }

    /// The signature Slack would send for `body` at `timestamp` (used by tests and fakes).
    public static func sign(body: [UInt8], timestamp: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: basestring(body: body, timestamp: timestamp), using: SymmetricKey(data: Data(secret.utf8)))
        return "v0=" + mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    static func basestring(body: [UInt8], timestamp: String) -> [UInt8] {
        Array("v0:\(timestamp):".utf8) + body
    }

    /// Lower- or upper-case hex to bytes; nil on any other character or an odd length.
    static func hexBytes(_ hex: Substring.UTF8View) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var high: UInt8?
        for character in hex {
            guard let nibble = nibble(character) else { return nil }
            if let pending = high {
                bytes.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
