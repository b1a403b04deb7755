/// Compact durations for tables ("3d4h", "5h12m", "7m30s", "45s").
public enum DurationFormat {
    /// The two most significant units, dropping the second when it is zero ("3d", not "3d0h").
    /// Fractions of a second are truncated; negative or non-finite input gives "-".
    public static func short(seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        // Int64 seconds cover 292 billion years; clamp anything beyond instead of trapping.
        let total = seconds >= 9.2e18 ? Int64.max : Int64(seconds)
        let days = total / 86_400
        let hours = total % 86_400 / 3_600
        let minutes = total % 3_600 / 60
        let secs = total % 60
        if days > 0 { return hours > 0 ? "\(days)d\(hours)h" : "\(days)d" }
        if hours > 0 { return minutes > 0 ? "\(hours)h\(minutes)m" : "\(hours)h" }
        if minutes > 0 { return secs > 0 ? "\(minutes)m\(secs)s" : "\(minutes)m" }
        return "\(secs)s"
    }
}
