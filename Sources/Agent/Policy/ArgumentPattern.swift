/// A command's `arg_pattern`: every extra argument must match it completely.
public struct ArgumentPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written in the policy file.
    public let source: String

    /// Validates `source` as a Swift `Regex`; throws what the regex parser throws.
    public init(_ source: String) throws {
        _ = try Regex(source)
        self.source = source
    }

    /// Whole-string match: a pattern without anchors still cannot be satisfied by a substring.
    ///
    /// The regex is compiled per call because `Regex<AnyRegexOutput>` is not `Sendable`; decisions
    /// are rare and patterns short, so the cost is negligible.
    public func matches(_ argument: String) -> Bool {
        guard let regex = try? Regex(source) else { return false }
        return (try? regex.wholeMatch(in: argument)) != nil
    }

    public var description: String { source }
}
