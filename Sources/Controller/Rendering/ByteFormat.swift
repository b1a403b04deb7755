/// Compact binary-unit byte counts ("512B", "1.2G", "15G") in the style of `df -h` and `free -h`.
///
/// Integer arithmetic only: no ICU-backed formatters and no floating-point rounding surprises.
public enum ByteFormat {
    private static let suffixes = ["B", "K", "M", "G", "T", "P", "E"]

    /// One decimal below 10 of a unit, whole numbers from 10 up, rounded half up; a value that rounds
    /// to 1024 moves to the next unit ("1.0M", not "1024K").
    public static func human(_ bytes: UInt64) -> String {
        guard bytes >= 1024 else { return "\(bytes)B" }
        var exponent = 1
        while exponent < suffixes.count - 1, bytes >> (10 * UInt64(exponent + 1)) > 0 {
            exponent += 1
        }
        let unit: UInt64 = 1 << (10 * UInt64(exponent))
        let whole = bytes / unit
        let remainder = bytes % unit
        if whole < 10 {
            // remainder * 10 < 10 * 2^60 fits in UInt64, so this cannot overflow.
            let tenths = whole * 10 + (remainder * 10 + unit / 2) / unit
            if tenths < 100 {
                return "\(tenths / 10).\(tenths % 10)\(suffixes[exponent])"
            }
            return "10\(suffixes[exponent])"
        }
        let rounded = whole + (remainder >= unit / 2 ? 1 : 0)
        if rounded >= 1024, exponent < suffixes.count - 1 {
            return "1.0\(suffixes[exponent + 1])"
        }
        return "\(rounded)\(suffixes[exponent])"
    }
}
