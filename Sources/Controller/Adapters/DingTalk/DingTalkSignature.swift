import Crypto
import Foundation

/// DingTalk's robot signing: `sign = Base64(HMAC-SHA256(key: secret, message: timestamp + "\n" + secret))`,
/// timestamp in milliseconds, accepted within an hour of our clock.
///
/// The same string signs inbound HTTP callbacks (headers `timestamp` and `sign`) and outbound custom-robot
/// webhooks (`&timestamp=...&sign=...`, URL-encoded). It does not cover the body, so callbacks are also
/// de-duplicated by `msgId` and replies only ever go to DingTalk's own `sessionWebhook` host.
public enum DingTalkSignature {
    public static let window: TimeInterval = 3600

    public static func sign(timestampMs: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestampMs)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// True when `sign` is the signature of `timestampMs` and the timestamp is within the window.
    public static func isValid(timestampMs: String?, sign: String?, secret: String, now: Date) -> Bool {
        guard !secret.isEmpty, let timestampMs, let sign, timestampMs.utf8.count <= 16,
              timestampMs.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let milliseconds = Int64(timestampMs),
              abs(now.timeIntervalSince1970 - Double(milliseconds) / 1000) <= window,
              let given = Data(base64Encoded: sign)
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            given, authenticating: Data("\(timestampMs)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
    }
}
