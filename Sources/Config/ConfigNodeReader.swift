import Yams

/// Typed, strict access to the YAML nodes of a configuration file; every failure names file, line and key path.
///
/// Files add their own accessors (string rules, duration syntax, ...) in an extension constrained to
/// their `Domain`.
public struct ConfigNodeReader<Domain>: Sendable {
    /// The file name used in errors.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// An error at `node`'s line (when it has one).
    public func error(
        _ code: ConfigFileError<Domain>.Code, _ node: Node?, _ keyPath: String, _ reason: String
    ) -> ConfigFileError<Domain> {
        ConfigFileError(code: code, path: path, line: node?.mark?.line, keyPath: keyPath, reason: reason)
    }

    /// The node as a mapping with plain string keys, all in `allowed` (when given), with every
    /// `required` key present.
    public func mapping(
        _ node: Node, at keyPath: String, allowed: Set<String>? = nil, required: [String] = []
    ) throws(ConfigFileError<Domain>) -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = node else {
            throw error(.wrongType, node, keyPath, "expected a mapping, found \(Self.kind(of: node))")
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw error(.wrongType, keyNode, keyPath, "keys must be plain strings, found \(Self.kind(of: keyNode))")
            }
            if let allowed, !allowed.contains(scalar.string) {
                throw error(
                    .unknownKey, keyNode, Self.join(keyPath, scalar.string),
                    "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            entries.append((scalar.string, keyNode, value))
        }
        for key in required where !entries.contains(where: { $0.key == key }) {
            throw error(.missingKey, node, keyPath.isEmpty ? key : keyPath, "'\(key)' is required")
        }
        return entries
    }

    /// Any non-null scalar, taken literally and unchecked (`LC_ALL: C`, `- -h`, `yes` stays the word yes);
    /// files layer their own string rules on top.
    public func literal(_ node: Node, at keyPath: String) throws(ConfigFileError<Domain>) -> String {
        guard case .scalar(let scalar) = node, Self.tagName(of: node) != .null else {
            throw error(.wrongType, node, keyPath, "expected a string, found \(Self.kind(of: node))")
        }
        return scalar.string
    }

    public func bool(_ node: Node, at keyPath: String) throws(ConfigFileError<Domain>) -> Bool {
        guard case .scalar = node, Self.tagName(of: node) == .bool, let value = node.bool else {
            throw error(.wrongType, node, keyPath, "expected true or false, found \(Self.kind(of: node))")
        }
        return value
    }

    /// A plain decimal integer within `range`.
    public func int(_ node: Node, at keyPath: String, in range: ClosedRange<Int>) throws(ConfigFileError<Domain>) -> Int {
        guard case .scalar(let scalar) = node, Self.tagName(of: node) == .int, let value = Int(scalar.string) else {
            throw error(.wrongType, node, keyPath, "expected a decimal integer, found \(Self.kind(of: node))")
        }
        guard range.contains(value) else {
            throw error(.invalidValue, node, keyPath, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func sequence(_ node: Node, at keyPath: String, nonEmpty: Bool = false) throws(ConfigFileError<Domain>) -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw error(.wrongType, node, keyPath, "expected a list, found \(Self.kind(of: node))")
        }
        guard !nonEmpty || !sequence.isEmpty else {
            throw error(.invalidValue, node, keyPath, "the list must not be empty")
        }
        return Array(sequence)
    }

    /// A non-empty list, or a single value standing for a list of one; each with its key path.
    public func oneOrMore(_ node: Node, at keyPath: String) throws(ConfigFileError<Domain>) -> [(node: Node, keyPath: String)] {
        guard case .sequence = node else { return [(node, keyPath)] }
        return try sequence(node, at: keyPath, nonEmpty: true).enumerated().map { ($0.element, "\(keyPath)[\($0.offset)]") }
    }

    public static func join(_ keyPath: String, _ key: String) -> String {
        keyPath.isEmpty ? key : "\(keyPath).\(key)"
    }

    /// The resolved YAML tag (`!!str`, `!!int`, `!!null`, ...); plain scalars get theirs from their text.
    public static func tagName(of node: Node) -> Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }

    /// A short name for what a node is, for "expected X, found Y".
    public static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch tagName(of: node) {
            case .null: return "null"
            case .bool: return "boolean \(scalar.string)"
            case .int: return "integer \(scalar.string)"
            case .float: return "number \(scalar.string)"
            default: return "string \(scalar.string.debugDescription)"
            }
        }
    }
}
