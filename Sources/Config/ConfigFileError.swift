/// A configuration file that cannot be loaded; the whole file is then refused, never half-loaded.
///
/// `Domain` only keeps the errors of different files apart (`ConfigFileError<AgentPolicy>` is not a
/// `ConfigFileError<ChatPolicy>`), and lets each file add its own codes in a constrained extension of `Code`.
/// Tests compare `code` and `line`; `description` reads
/// `agent.yaml:7: commands.disk-usage.timeout: "3x" is not a duration`.
public struct ConfigFileError<Domain>: Error, Sendable, Hashable, CustomStringConvertible {
    /// Extensible error code; compare against the static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Computed rather than stored: generic types cannot have static stored properties.

        /// The file exists but cannot be read, is too large, or is not UTF-8.
        public static var unreadable: Code { Code(rawValue: "unreadable") }
        /// Not well-formed YAML (including duplicate keys).
        public static var syntax: Code { Code(rawValue: "syntax") }
        /// A key the file does not know: a typo must never silently change what the file means.
        public static var unknownKey: Code { Code(rawValue: "unknown_key") }
        /// A required key is absent.
        public static var missingKey: Code { Code(rawValue: "missing_key") }
        /// A value of the wrong kind (a list where a mapping belongs, a string for a boolean, ...).
        public static var wrongType: Code { Code(rawValue: "wrong_type") }
        /// A value of the right kind that is empty, out of range or otherwise unacceptable.
        public static var invalidValue: Code { Code(rawValue: "invalid_value") }
        /// A duration outside the file's duration syntax, or above the limit for that setting.
        public static var invalidDuration: Code { Code(rawValue: "invalid_duration") }
        /// A name outside its allowed character set.
        public static var invalidName: Code { Code(rawValue: "invalid_name") }
    }

    public var code: Code
    /// The file, as given to the loader.
    public var path: String
    /// 1-based line of the offending key or value, when known.
    public var line: Int?
    /// Dotted location in the document, e.g. `commands.disk-usage.timeout`; empty for the file.
    public var keyPath: String
    public var reason: String

    public init(code: Code, path: String, line: Int?, keyPath: String = "", reason: String) {
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
