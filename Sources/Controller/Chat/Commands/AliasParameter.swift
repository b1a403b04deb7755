/// A typed `{param}` of a `commands.yaml` alias; every value is checked before anything runs.
public struct AliasParameter: Sendable, Hashable {
    /// What values a parameter accepts.
    public enum Kind: Sendable, Hashable {
        /// Free text up to `maxLength` characters, optionally matching the whole of a regular expression.
        case string(pattern: String?, maxLength: Int)
        case int(min: Int, max: Int)
        /// One of the listed words (typed in any case; the listed spelling is substituted).
        case enumeration([String])
        /// `30s`, `5m`, `1h`.
        case duration
        /// A target selector: a name, glob, list or labels.
        case host
    }

    /// Longest string value when the file sets no `max_length`.
    public static let defaultMaxLength = 128

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// The text substituted for `value`, or a `.badArguments` error saying why it is refused.
    ///
    /// Strings may not start with `-`: substituted into an agent command's argv, such a value would be
    /// read as an option of that command, which its author did not offer.
    public func accept(_ value: String, usage: String) throws(ChatParseError) -> String {
        func refuse(_ reason: String) -> ChatParseError {
            ChatParseError(
                code: .badArguments, message: "`\(name)`: `\(ChatCommandParser.echo(value))` \(reason)", usage: usage)
        }
        switch kind {
        case .string(let pattern, let maxLength):
            guard !value.isEmpty else { throw refuse("is empty") }
            guard value.count <= maxLength else { throw refuse("is longer than \(maxLength) characters") }
            guard !value.hasPrefix("-") else { throw refuse("must not start with `-`") }
            if let pattern {
                guard let regex = try? Regex(pattern), (try? regex.wholeMatch(in: value)) != nil else {
                    throw refuse("does not match the pattern `\(pattern)`")
                }
            }
            return value
        case .int(let min, let max):
            guard value.utf8.count <= 20, let number = Int(value) else { throw refuse("is not a whole number") }
            guard number >= min else { throw refuse("is below the minimum \(min)") }
            guard number <= max else { throw refuse("is above the maximum \(max)") }
            return String(number)
        case .enumeration(let values):
            guard let match = values.first(where: { $0.lowercased() == value.lowercased() }) else {
                throw refuse("is not one of \(values.joined(separator: ", "))")
            }
            return match
        case .duration:
            guard ChatDuration.parse(value) != nil else { throw refuse("is not a duration such as 30s, 5m or 1h (at most 24h)") }
            return value
        case .host:
            do {
                return try TargetSelector(parsing: value).description
            } catch {
                throw refuse("is not a host selector: \(error)")
            }
        }
    }

    /// What the parameter accepts, for `help`: "one of api, web", "a number from 1 to 1000".
    public var summary: String {
        switch kind {
        case .string(let pattern, let maxLength): pattern.map { "text matching `\($0)`" } ?? "text up to \(maxLength) characters"
        case .int(let min, let max): max == Int.max ? "a number from \(min) up" : "a number from \(min) to \(max)"
        case .enumeration(let values): "one of \(values.joined(separator: ", "))"
        case .duration: "a duration such as 30s, 5m or 1h"
        case .host: "a host selector such as web-1, web-* or role=web"
        }
    }
}
