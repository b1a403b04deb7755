/// An agent policy file that cannot be loaded; the whole file is then refused.
///
/// Tests compare `code` and `line`; `description` reads
/// `agent.yaml:7: commands.disk-usage.timeout: "3x" is not a duration`.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Extensible error code; compare against the static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file exists but cannot be read, is too large, or is not UTF-8.
        public static let unreadable = Code(rawValue: "unreadable")
        /// Not well-formed YAML (including duplicate keys).
        public static let syntax = Code(rawValue: "syntax")
        /// A key the policy does not know: typos must not silently change what is allowed.
        public static let unknownKey = Code(rawValue: "unknown_key")
        /// A required key is absent.
        public static let missingKey = Code(rawValue: "missing_key")
        /// A value of the wrong kind (a list where a mapping belongs, a string for a boolean, ...).
        public static let wrongType = Code(rawValue: "wrong_type")
        /// A value of the right kind that is out of range or otherwise unacceptable.
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// Not `<positive integer><ms|s|m|h>`, or longer than a day.
        public static let invalidDuration = Code(rawValue: "invalid_duration")
        /// A command, service or variable name outside its allowed character set.
        public static let invalidName = Code(rawValue: "invalid_name")
        /// An `argv` with no elements.
        public static let emptyArgv = Code(rawValue: "empty_argv")
        /// An executable or file path that is not absolute where it must be.
        public static let relativePath = Code(rawValue: "relative_path")
        /// An `arg_pattern` that is not a valid Swift regular expression.
        public static let invalidPattern = Code(rawValue: "invalid_pattern")
        /// A reserved setting given a value this version does not implement (`user`).
        public static let unsupported = Code(rawValue: "unsupported")
    }

    public var code: Code
    /// The policy file, as given to the loader.
    public var path: String
    /// 1-based line of the offending key or value, when known.
    public var line: Int?
    /// Dotted location in the document, e.g. `commands.disk-usage.timeout`; empty for the file.
    public var keyPath: String
    public var reason: String

    public init(code: Code, path: String, line: Int?, keyPath: String, reason: String) {
        self.code = code
        self.path = path
        self.line = line
        self.keyPath = keyPath
        self.reason = reason
    }

    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        text += ": "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        return text + reason
    }
}
