import Crypto
import Foundation

/// Timestamped HMAC request signing as Slack defined it, with a version tag:
/// `{version}=` + hex(HMAC-SHA256(secret, `{version}:{timestamp}:{raw body}`)).
///
/// Slack uses `v0`; Steward's own inbound webhooks use `v1`. Verification runs on the raw bytes before any
/// parsing, refuses timestamps more than ``window`` from our clock either way (a captured request cannot be
/// replayed later), and compares MACs in constant time.
public struct RequestSignature: Sendable {
    public enum Failure: Error, Equatable, Sendable {
        case missingSecret, missingTimestamp, missingSignature, malformedTimestamp, malformedSignature
        /// Seconds between the request's timestamp and our clock.
        case stale(skew: Int)
        case mismatch
    }

    public var version: String
    public var window: TimeInterval = 5 * 60

    public init(version: String, window: TimeInterval = 5 * 60) {
        self.version = version
        self.window = window
    }

    public func verify(body: [UInt8], timestamp: String?, signature: String?, secret: String, now: Date) throws(Failure) {
        guard !secret.isEmpty else { throw .missingSecret }
        guard let timestamp, !timestamp.isEmpty else { throw .missingTimestamp }
        guard let signature, !signature.isEmpty else { throw .missingSignature }
        guard timestamp.utf8.count <= 12, timestamp.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let seconds = Int64(timestamp)
        else { throw .malformedTimestamp }
        let prefix = version + "="
        guard signature.hasPrefix(prefix), let mac = Self.hexBytes(signature.utf8.dropFirst(prefix.utf8.count)),
              mac.count == SHA256.byteCount
        else { throw .malformedSignature }
        let skew = abs(now.timeIntervalSince1970 - TimeInterval(seconds))
        guard skew <= window else { throw .stale(skew: Int(skew)) }
        let key = SymmetricKey(data: Data(secret.utf8))
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: basestring(body: body, timestamp: timestamp), using: key) else {
            throw .mismatch
        }
    }

    /// The signature for `body` at `timestamp` (what a sender computes; used by tests and fakes).
    public func sign(body: [UInt8], timestamp: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: basestring(body: body, timestamp: timestamp), using: SymmetricKey(data: Data(secret.utf8)))
        return version + "=" + mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    func basestring(body: [UInt8], timestamp: String) -> [UInt8] {
        Array("\(version):\(timestamp):".utf8) + body
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
