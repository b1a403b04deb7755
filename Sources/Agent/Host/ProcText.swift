/// Shared tokenising helpers for the line-and-whitespace formats of /proc files.
enum ProcText {
    /// Non-empty lines with their 1-based line numbers.
    static func lines(_ text: String) -> [(number: Int, text: Substring)] {
        var result: [(number: Int, text: Substring)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.contains(where: { !$0.isWhitespace }) {
                result.append((index + 1, line))
            }
        }
        return result
    }

    /// Whitespace-separated fields of one line (runs of spaces and tabs count as one separator).
    static func fields(_ line: Substring) -> [Substring] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
    }

    static func unsigned(_ field: Substring, source: String, line: Int, name: String) throws -> UInt64 {
        guard let value = UInt64(field) else {
            throw HostProbeError(
                code: .invalidNumber, source: source, line: line,
                detail: "\(name): expected an unsigned integer, found '\(field.prefix(32))'")
        }
        return value
    }

    /// A finite, non-negative decimal; /proc never reports negative loads or uptimes.
    static func nonNegativeDouble(_ field: Substring, source: String, line: Int, name: String) throws -> Double {
        guard let value = Double(field), value.isFinite, value >= 0 else {
            throw HostProbeError(
                code: .invalidNumber, source: source, line: line,
                detail: "\(name): expected a non-negative decimal, found '\(field.prefix(32))'")
        }
        return value
    }

    /// The text without leading and trailing whitespace (no Foundation needed).
    static func trim(_ text: Substring) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(text[start...end])
    }
}
