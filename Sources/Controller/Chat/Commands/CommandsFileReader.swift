import Yams

/// Typed, strict access to the YAML nodes of `commands.yaml`; every failure names file, line and key path.
struct CommandsFileReader {
    /// The file name used in errors.
    let path: String

    func error(_ code: CommandsFileError.Code, _ node: Node?, _ keyPath: String, _ reason: String) -> CommandsFileError {
        CommandsFileError(code: code, path: path, line: node?.mark?.line, keyPath: keyPath, reason: reason)
    }

    /// The node as a mapping with plain string keys, only `allowed` ones if given.
    func mapping(_ node: Node, at keyPath: String, allowed: Set<String>? = nil) throws(CommandsFileError) -> [(key: String, keyNode: Node, value: Node)] {
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
        return entries
    }

    /// A required entry of a mapping read with `mapping(_:at:allowed:)`.
    func required(
        _ key: String, in entries: [(key: String, keyNode: Node, value: Node)], of node: Node, at keyPath: String
    ) throws(CommandsFileError) -> Node {
        guard let entry = entries.first(where: { $0.key == key }) else {
            throw error(.missingKey, node, keyPath, "missing required key `\(key)`")
        }
        return entry.value
    }

    /// Any non-null scalar, taken literally (so `yes` stays the word yes).
    func string(_ node: Node, at keyPath: String) throws(CommandsFileError) -> String {
        guard case .scalar(let scalar) = node, Self.tagName(of: node) != .null else {
            throw error(.wrongType, node, keyPath, "expected a string, found \(Self.kind(of: node))")
        }
        guard !scalar.string.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw error(.invalidValue, node, keyPath, "the string contains a control character")
        }
        return scalar.string
    }

    /// A plain decimal integer within `range`.
    func int(_ node: Node, at keyPath: String, in range: ClosedRange<Int>) throws(CommandsFileError) -> Int {
        guard case .scalar(let scalar) = node, Self.tagName(of: node) == .int, let value = Int(scalar.string) else {
            throw error(.wrongType, node, keyPath, "expected a decimal integer, found \(Self.kind(of: node))")
        }
        guard range.contains(value) else {
            throw error(.invalidValue, node, keyPath, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func strings(_ node: Node, at keyPath: String) throws(CommandsFileError) -> [String] {
        guard case .sequence(let sequence) = node else {
            throw error(.wrongType, node, keyPath, "expected a list, found \(Self.kind(of: node))")
        }
        var values: [String] = []
        for (index, element) in sequence.enumerated() {
            values.append(try string(element, at: "\(keyPath)[\(index)]"))
        }
        return values
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
