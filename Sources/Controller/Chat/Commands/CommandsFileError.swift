/// A `commands.yaml` that cannot be loaded; the whole file is then refused, never loaded half-way.
///
/// Tests compare `code` and `line`; `description` reads
/// `commands.yaml:7: commands.deploy.params.app.type: unknown type "bool" (expected one of: ...)`.
public struct CommandsFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Extensible error code; compare against the static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file exists but cannot be read, is too large, or is not UTF-8.
        public static let unreadable = Code(rawValue: "unreadable")
        /// Not well-formed YAML (including duplicate keys).
        public static let syntax = Code(rawValue: "syntax")
        /// A key the file format does not know: a typo must not silently drop a check.
        public static let unknownKey = Code(rawValue: "unknown_key")
        public static let missingKey = Code(rawValue: "missing_key")
        /// A list where a mapping belongs, a string where a number belongs, ...
        public static let wrongType = Code(rawValue: "wrong_type")
        /// A value of the right kind that is out of range or otherwise unacceptable.
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// A malformed pattern or `{placeholder}`, or one naming an undeclared parameter.
        public static let invalidTemplate = Code(rawValue: "invalid_template")
        /// An alias whose name or first word is a built-in verb.
        public static let shadowsBuiltin = Code(rawValue: "shadows_builtin")
        /// Two aliases with the same pattern shape.
        public static let duplicate = Code(rawValue: "duplicate")
    }

    public var code: Code
    /// The file, as given to the loader.
    public var path: String
    /// 1-based line of the offending key or value, when known.
    public var line: Int?
    /// Dotted location in the document, e.g. `commands.deploy.params.app`; empty for the file.
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
