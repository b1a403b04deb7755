/// Fixed-point decimals for tables ("12.5", "0.40") without `String(format:)` or ICU formatters.
public enum DecimalFormat {
    /// `value` rounded half away from zero to `fractionDigits` (0...6) digits; "-" when non-finite
    /// or too large to print exactly.
    public static func fixed(_ value: Double, fractionDigits: Int) -> String {
        precondition((0...6).contains(fractionDigits), "fractionDigits must be in 0...6")
        var scale: Int64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let scaled = (value.magnitude * Double(scale)).rounded(.toNearestOrAwayFromZero)
        guard value.isFinite, scaled < 9e15 else { return "-" }
        let units = Int64(scaled)
        let sign = value < 0 && units != 0 ? "-" : ""
        let integer = "\(units / scale)"
        guard fractionDigits > 0 else { return sign + integer }
        let fraction = "\(units % scale)"
        return sign + integer + "." + String(repeating: "0", count: fractionDigits - fraction.count) + fraction
    }
}
