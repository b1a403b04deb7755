import Yams

/// Typed, strict access to the YAML nodes of `policy.yaml`; every failure names file, line and key path.
struct ChatPolicyNodeReader {
    /// The file name used in errors.
    let path: String

    func error(_ code: PolicyFileError.Code, _ node: Node?, _ keyPath: String, _ reason: String) -> PolicyFileError {
        PolicyFileError(code: code, path: path, line: node?.mark?.line, keyPath: keyPath, reason: reason)
    }

    /// The node as a mapping whose keys are all in `allowed` (when given) and whose `required` keys are present.
    func mapping(
        _ node: Node, at keyPath: String, allowed: Set<String>? = nil, required: [String] = []
    ) throws(PolicyFileError) -> [(key: String, keyNode: Node, value: Node)] {
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

    /// A non-null, non-empty scalar without control characters, taken literally.
    func string(_ node: Node, at keyPath: String) throws(PolicyFileError) -> String {
        guard case .scalar(let scalar) = node, Self.tagName(of: node) != .null else {
            throw error(.wrongType, node, keyPath, "expected a string, found \(Self.kind(of: node))")
        }
        guard !scalar.string.isEmpty, scalar.string.utf8.count <= 1024 else {
            throw error(.invalidValue, node, keyPath, "expected 1 to 1024 characters")
        }
        guard !scalar.string.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw error(.invalidValue, node, keyPath, "the string contains control characters")
        }
        return scalar.string
    }

    func sequence(_ node: Node, at keyPath: String, nonEmpty: Bool = false) throws(PolicyFileError) -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw error(.wrongType, node, keyPath, "expected a list, found \(Self.kind(of: node))")
        }
        guard !nonEmpty || !sequence.isEmpty else {
            throw error(.invalidValue, node, keyPath, "the list must not be empty")
        }
        return Array(sequence)
    }

    /// A non-empty list, or a single value standing for a list of one; each with its key path.
    func oneOrMore(_ node: Node, at keyPath: String) throws(PolicyFileError) -> [(node: Node, keyPath: String)] {
        guard case .sequence = node else { return [(node, keyPath)] }
        return try sequence(node, at: keyPath, nonEmpty: true).enumerated().map { ($0.element, "\(keyPath)[\($0.offset)]") }
    }

    /// A list of strings, each checked by `element`.
    func strings(
        _ node: Node, at keyPath: String, nonEmpty: Bool = false,
        element: (String, Node, String) throws(PolicyFileError) -> Void = { _, _, _ in }
    ) throws(PolicyFileError) -> [String] {
        var result: [String] = []
        for (index, item) in try sequence(node, at: keyPath, nonEmpty: nonEmpty).enumerated() {
            let itemPath = "\(keyPath)[\(index)]"
            let value = try string(item, at: itemPath)
            try element(value, item, itemPath)
            if !result.contains(value) { result.append(value) }
        }
        return result
    }

    /// `<positive integer><s|m|h|d>`, at most `maximum`.
    func duration(_ node: Node, at keyPath: String, maximum: Duration) throws(PolicyFileError) -> Duration {
        let text = try string(node, at: keyPath)
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        let factors: [Substring: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        // Nine digits keep the multiplication far from overflow.
        if digits.count <= 9, let value = Int64(digits), value > 0, let factor = factors[text.dropFirst(digits.count)],
           .seconds(value * factor) <= maximum
        {
            return .seconds(value * factor)
        }
        throw error(
            .invalidDuration, node, keyPath,
            "\(text.debugDescription) is not a duration such as 60s, 30m or 2h (at most \(Self.format(maximum)))")
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds >= size && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
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
