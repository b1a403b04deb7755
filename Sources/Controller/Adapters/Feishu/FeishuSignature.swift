import Crypto
import Foundation

/// Feishu's event request signing, used when the app has an Encrypt Key:
/// `X-Lark-Signature = hex(SHA256(X-Lark-Request-Timestamp + X-Lark-Request-Nonce + encrypt_key + raw body))`.
///
/// A plain SHA-256 over the key and the bytes, not an HMAC (some third-party verifiers get this wrong). The
/// comparison is constant-time (swift-crypto's `Digest ==`), and runs on the raw bytes before any parsing.
public enum FeishuSignature {
    /// How far the request timestamp (seconds) may be from our clock, either way.
    ///
    /// Feishu's documentation gives no freshness window for `X-Lark-Request-Timestamp`, and it redelivers an
    /// unacknowledged event after 15 s, 5 min, 1 h and 6 h without saying whether a redelivery is signed
    /// afresh. An hour (as DingTalk documents for its own callbacks) keeps the early redeliveries even if they
    /// carry the first timestamp, while a captured request cannot be replayed later; a replay inside the hour
    /// runs nothing, because `event_id` de-duplication is durable.
    public static let window: TimeInterval = 3600

    public static let signatureHeader = "x-lark-signature"
    public static let timestampHeader = "x-lark-request-timestamp"
    public static let nonceHeader = "x-lark-request-nonce"

    /// The signature a sender computes (used by tests and fakes).
    public static func sign(timestamp: String, nonce: String, encryptKey: String, body: [UInt8]) -> String {
        SHA256.hash(data: basestring(timestamp: timestamp, nonce: nonce, encryptKey: encryptKey, body: body))
            .map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }

    public static func verify(
        body: [UInt8], timestamp: String?, nonce: String?, signature: String?, encryptKey: String, now: Date
    ) throws(FeishuError) {
        guard let timestamp, !timestamp.isEmpty, let nonce, let signature, !signature.isEmpty else {
            throw FeishuError(.missingHeader, "the request is not signed (X-Lark-Signature, -Request-Timestamp, -Request-Nonce)")
        }
        guard timestamp.utf8.count <= 12, timestamp.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let seconds = Int64(timestamp)
        else { throw FeishuError(.malformedHeader, "X-Lark-Request-Timestamp is not a number of seconds") }
        guard nonce.utf8.count <= 256 else { throw FeishuError(.malformedHeader, "X-Lark-Request-Nonce is too long") }
        guard let given = RequestSignature.hexBytes(signature[...].utf8), given.count == SHA256.byteCount else {
            throw FeishuError(.malformedHeader, "X-Lark-Signature is not a hex SHA-256")
        }
        let skew = abs(now.timeIntervalSince1970 - TimeInterval(seconds))
        guard skew <= window else { throw FeishuError(.staleTimestamp, "the request was signed \(Int(skew)) s away from our clock") }
        let expected = SHA256.hash(data: basestring(timestamp: timestamp, nonce: nonce, encryptKey: encryptKey, body: body))
        guard expected == given else { throw FeishuError(.signatureMismatch, "X-Lark-Signature does not match") }
    }

    static func basestring(timestamp: String, nonce: String, encryptKey: String, body: [UInt8]) -> [UInt8] {
        Array((timestamp + nonce + encryptKey).utf8) + body
    }
}
