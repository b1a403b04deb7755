/// Durations as typed in chat and in `commands.yaml`: a positive integer and one unit, `30s`, `5m`, `1h`.
public enum ChatDuration {
    /// The longest accepted: a job time limit beyond a day is a typo, not a plan.
    public static let maximum: Duration = .seconds(24 * 3600)

    /// The duration `text` denotes, or nil when it is not one (or is zero, or above `maximum`).
    public static func parse(_ text: String) -> Duration? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        // Six digits are already far above the maximum and keep the multiplication far from overflow.
        guard !digits.isEmpty, digits.count <= 6, let value = Int64(digits), value > 0 else { return nil }
        let duration: Duration
        switch text.dropFirst(digits.count) {
        case "s": duration = .seconds(value)
        case "m": duration = .seconds(value * 60)
        case "h": duration = .seconds(value * 3600)
        default: return nil
        }
        return duration <= maximum ? duration : nil
    }
}
