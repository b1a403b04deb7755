/// Durations as written in the policy file: a positive integer and one unit, `500ms`, `30s`, `5m`, `1h`.
public enum PolicyDuration {
    /// The longest duration accepted anywhere in the policy.
    public static let maximum: Duration = .seconds(24 * 3600)

    /// The duration `text` denotes, or `nil` when it is not one (or is zero, or above `maximum`).
    public static func parse(_ text: String) -> Duration? {
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        let unit = text.dropFirst(digits.count)
        // Nine digits keep the multiplication below far from overflow.
        guard !digits.isEmpty, digits.count <= 9, let value = Int64(digits), value > 0 else { return nil }
        let duration: Duration
        switch unit {
        case "ms": duration = .milliseconds(value)
        case "s": duration = .seconds(value)
        case "m": duration = .seconds(value * 60)
        case "h": duration = .seconds(value * 3600)
        default: return nil
        }
        return duration <= maximum ? duration : nil
    }
}
