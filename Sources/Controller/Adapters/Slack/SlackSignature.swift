import Foundation

/// Slack's v0 request signing (see ``RequestSignature``): `v0=` + hex(HMAC-SHA256(signing secret,
/// `v0:{timestamp}:{raw body}`)), five-minute window, constant-time comparison.
public enum SlackSignature {
    static let scheme = RequestSignature(version: "v0")

    /// Slack's documented tolerance between its timestamp and ours.
    public static var window: TimeInterval { scheme.window }

    /// Throws a ``SlackError`` unless `signature` is Slack's signature of `body` at `timestamp`.
    public static func verify(body: [UInt8], timestamp: String?, signature: String?, secret: String, now: Date) throws {
        do {
            try scheme.verify(body: body, timestamp: timestamp, signature: signature, secret: secret, now: now)
        } catch {
            throw switch error {
            case .missingSecret: SlackError(.missingSecret, "no Slack signing secret is configured")
            case .missingTimestamp: SlackError(.missingHeader, "missing X-Slack-Request-Timestamp")
            case .missingSignature: SlackError(.missingHeader, "missing X-Slack-Signature")
            case .malformedTimestamp: SlackError(.malformedHeader, "X-Slack-Request-Timestamp is not a Unix time in seconds")
            case .malformedSignature: SlackError(.malformedHeader, "X-Slack-Signature is not v0= followed by 64 hex digits")
            case .stale(let skew):
                SlackError(.staleTimestamp, "request timestamp is \(skew) s away from our clock (limit \(Int(window)) s)")
            case .mismatch: SlackError(.signatureMismatch, "X-Slack-Signature does not match the request")
            }
        }
    }

    /// The signature Slack would send for `body` at `timestamp` (used by tests and fakes).
    public static func sign(body: [UInt8], timestamp: String, secret: String) -> String {
        scheme.sign(body: body, timestamp: timestamp, secret: secret)
    }
}
