/// A chat policy file that cannot be loaded; the whole file is then refused, never half-loaded.
///
/// Tests compare `code` and `line`; `description` reads
/// `policy.yaml:12: roles.operator.rules[1].approval.expires: "30x" is not a duration`.
public struct PolicyFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Extensible error code; compare against the static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file exists but cannot be read, is too large, or is not UTF-8.
        public static let unreadable = Code(rawValue: "unreadable")
        /// Not well-formed YAML (including duplicate keys).
        public static let syntax = Code(rawValue: "syntax")
        /// A key the policy does not know: a typo must never silently change who may do what.
        public static let unknownKey = Code(rawValue: "unknown_key")
        /// A required key is absent.
        public static let missingKey = Code(rawValue: "missing_key")
        /// A value of the wrong kind (a mapping where a list belongs, a number for a name, ...).
        public static let wrongType = Code(rawValue: "wrong_type")
        /// A value of the right kind that is empty, too long or otherwise unacceptable.
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// A role, platform or user name outside its allowed characters.
        public static let invalidName = Code(rawValue: "invalid_name")
        /// Not `<positive integer><s|m|h|d>`, or above the limit for that setting.
        public static let invalidDuration = Code(rawValue: "invalid_duration")
        /// A `targets` entry that is not a target selector.
        public static let invalidSelector = Code(rawValue: "invalid_selector")
        /// A room that is not `platform:room` (or `platform:*`).
        public static let invalidRoom = Code(rawValue: "invalid_room")
        /// A permission name the controller does not know.
        public static let unknownCommand = Code(rawValue: "unknown_command")
        /// An identity, `inherits` or `approvers` entry naming a role that is not defined.
        public static let unknownRole = Code(rawValue: "unknown_role")
        /// Roles that inherit from each other in a loop.
        public static let inheritanceCycle = Code(rawValue: "inheritance_cycle")
        /// The same platform and user listed twice.
        public static let duplicateIdentity = Code(rawValue: "duplicate_identity")
        /// An `approval` without any approver role: nobody could ever approve it.
        public static let missingApprover = Code(rawValue: "missing_approver")
        /// A rule with both `confirm` and `approval`.
        public static let conflictingGates = Code(rawValue: "conflicting_gates")
    }

    public var code: Code
    /// The policy file, as given to the loader.
    public var path: String
    /// 1-based line of the offending key or value, when known.
    public var line: Int?
    /// Dotted location in the document, e.g. `roles.operator.rules[1].targets`; empty for the file.
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
