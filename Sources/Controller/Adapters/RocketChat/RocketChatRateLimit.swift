import Foundation

/// How long a Rocket.Chat HTTP 429 asks the bot to wait.
///
/// Rocket.Chat's own limiter sends `X-RateLimit-Reset` as the time of reset in **milliseconds since the epoch**;
/// a proxy in front may send `Retry-After` in seconds, which wins. Values in epoch seconds and plain second counts
/// (as other servers send them) are read too. Nil when neither header says anything usable.
public enum RocketChatRateLimit {
    public static func wait(retryAfter: String?, rateLimitReset: String?, now: Date) -> Duration? {
        if let seconds = retryAfter.flatMap({ Int64($0.trimmingCharacters(in: .whitespaces)) }), seconds >= 0 {
            return .seconds(seconds)
        }
        guard let reset = rateLimitReset.flatMap({ Int64($0.trimmingCharacters(in: .whitespaces)) }), reset >= 0 else { return nil }
        let nowMilliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded())
        switch reset {
        case 100_000_000_000...:  // epoch milliseconds (after 1973)
            return .milliseconds(max(reset - nowMilliseconds, 0))
        case 1_000_000_000...:  // epoch seconds (after 2001)
            return .milliseconds(max(reset * 1000 - nowMilliseconds, 0))
        default:
            return .seconds(reset)
        }
    }
}
