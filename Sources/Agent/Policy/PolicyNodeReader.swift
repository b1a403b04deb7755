import Yams

/// Typed, strict access to the YAML nodes of a policy file; every failure names file, line and key path.
struct PolicyNodeReader {
    /// The file name used in errors.
    let path: String

    func error(_ code: PolicyError.Code, _ node: Node?, _ keyPath: String, _ reason: String) -> PolicyError {
        PolicyError(code: code, path: path, line: node?.mark?.line, keyPath: keyPath, reason: reason)
    }

    /// The node as a mapping; keys must be scalars, and only `allowed` keys may appear.
    func mapping(_ node: Node, at keyPath: String, allowed: Set<String>? = nil) throws(PolicyError) -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = node else {
            throw error(.wrongType, node, keyPath, "expected a mapping, found \(Self.kind(of: node))")
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw error(.wrongType, keyNode, keyPath, "keys must be plain strings, found \(Self.kind(of: keyNode))")
            }
            let key = scalar.string
            if let allowed, !allowed.contains(key) {
                throw error(
                    .unknownKey, keyNode, Self.join(keyPath, key),
                    "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            entries.append((key, keyNode, value))
        }
        return entries
    }

    /// Any non-null scalar, taken literally (`LC_ALL: C`, `- -h`, `DEBUG: 1`).
    func string(_ node: Node, at keyPath: String) throws(PolicyError) -> String {
        guard case .scalar(let scalar) = node, Self.tagName(of: node) != .null else {
            throw error(.wrongType, node, keyPath, "expected a string, found \(Self.kind(of: node))")
        }
        guard !scalar.string.utf8.contains(0) else {
            throw error(.invalidValue, node, keyPath, "the string contains a NUL byte")
        }
        return scalar.string
    }

    func bool(_ node: Node, at keyPath: String) throws(PolicyError) -> Bool {
        guard case .scalar = node, Self.tagName(of: node) == .bool, let value = node.bool else {
            throw error(.wrongType, node, keyPath, "expected true or false, found \(Self.kind(of: node))")
        }
        return value
    }

    /// A plain decimal integer within `range`.
    func int(_ node: Node, at keyPath: String, in range: ClosedRange<Int>) throws(PolicyError) -> Int {
        guard case .scalar(let scalar) = node, Self.tagName(of: node) == .int, let value = Int(scalar.string) else {
            throw error(.wrongType, node, keyPath, "expected a decimal integer, found \(Self.kind(of: node))")
        }
        guard range.contains(value) else {
            throw error(.invalidValue, node, keyPath, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func duration(_ node: Node, at keyPath: String) throws(PolicyError) -> Duration {
        let text = try string(node, at: keyPath)
        guard let duration = PolicyDuration.parse(text) else {
            throw error(
                .invalidDuration, node, keyPath,
                "\(text.debugDescription) is not a duration (use e.g. 500ms, 30s, 5m, 1h; at most 24h)")
        }
        return duration
    }

    func sequence(_ node: Node, at keyPath: String) throws(PolicyError) -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw error(.wrongType, node, keyPath, "expected a list, found \(Self.kind(of: node))")
        }
        return Array(sequence)
    }

    /// A non-empty argv whose first element is absolute (or, with `allowBareName`, a name for PATH).
    func argv(_ node: Node, at keyPath: String, allowBareName: Bool) throws(PolicyError) -> [String] {
        var argv: [String] = []
        for (index, element) in try sequence(node, at: keyPath).enumerated() {
            argv.append(try string(element, at: "\(keyPath)[\(index)]"))
        }
        guard let executable = argv.first else {
            throw error(.emptyArgv, node, keyPath, "argv must name an executable")
        }
        let isBareName = allowBareName && !executable.isEmpty && !executable.contains("/")
        guard executable.hasPrefix("/") || isBareName else {
            let expected = allowBareName ? "an absolute path or a bare command name" : "an absolute path"
            throw error(.relativePath, node, "\(keyPath)[0]", "\(executable.debugDescription) is not \(expected)")
        }
        return argv
    }

    static func join(_ keyPath: String, _ key: String) -> String {
        keyPath.isEmpty ? key : "\(keyPath).\(key)"
    }

    /// The resolved YAML tag (`!!str`, `!!int`, `!!null`, ...); plain scalars get theirs from their text.
    static func tagName(of node: Node) -> Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }

    /// A short name for what a node is, for "expected X, found Y".
    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch Self.tagName(of: node) {
            case .null: return "null"
            case .bool: return "boolean \(scalar.string)"
            case .int: return "integer \(scalar.string)"
            case .float: return "number \(scalar.string)"
            default: return "string \(scalar.string.debugDescription)"
            }
        }
    }
}
