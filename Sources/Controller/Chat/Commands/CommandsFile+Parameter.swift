import Yams

extension CommandsFile {
    /// The keys each parameter type takes; any other key is an error, so `max: 10` on a string is not ignored.
    static let parameterKeys: [String: Set<String>] = [
        "string": ["type", "pattern", "max_length"],
        "int": ["type", "min", "max"],
        "enum": ["type", "values"],
        "duration": ["type"],
        "host": ["type"],
    ]

    static func parseParameter(_ name: String, node: Node, at keyPath: String, reader: CommandsFileReader) throws(CommandsFileError) -> AliasParameter {
        let all = parameterKeys.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let entries = try reader.mapping(node, at: keyPath, allowed: all)
        let typeNode = try reader.required("type", in: entries, of: node, at: keyPath)
        let type = try reader.string(typeNode, at: "\(keyPath).type")
        guard let allowed = parameterKeys[type] else {
            throw reader.error(
                .invalidValue, typeNode, "\(keyPath).type",
                "unknown type \(type.debugDescription) (expected one of: \(parameterKeys.keys.sorted().joined(separator: ", ")))")
        }
        for entry in entries where !allowed.contains(entry.key) {
            throw reader.error(.unknownKey, entry.keyNode, "\(keyPath).\(entry.key)", "does not apply to type \(type)")
        }
        func value(_ key: String) -> Node? { entries.first { $0.key == key }?.value }

        switch type {
        case "string":
            var pattern: String?
            if let patternNode = value("pattern") {
                let text = try reader.string(patternNode, at: "\(keyPath).pattern")
                guard (try? Regex(text)) != nil else {
                    throw reader.error(.invalidValue, patternNode, "\(keyPath).pattern", "\(text.debugDescription) is not a valid regular expression")
                }
                pattern = text
            }
            let maxLength = try value("max_length").map { node throws(CommandsFileError) in
                try reader.int(node, at: "\(keyPath).max_length", in: 1...1024)
            }
            return AliasParameter(name: name, kind: .string(pattern: pattern, maxLength: maxLength ?? AliasParameter.defaultMaxLength))
        case "int":
            let min = try value("min").map { node throws(CommandsFileError) in try reader.int(node, at: "\(keyPath).min", in: Int.min...Int.max) } ?? 0
            let max = try value("max").map { node throws(CommandsFileError) in try reader.int(node, at: "\(keyPath).max", in: Int.min...Int.max) } ?? Int.max
            guard min <= max else { throw reader.error(.invalidValue, node, keyPath, "min \(min) is above max \(max)") }
            return AliasParameter(name: name, kind: .int(min: min, max: max))
        case "enum":
            guard let valuesNode = value("values") else { throw reader.error(.missingKey, node, keyPath, "an enum needs `values`") }
            let values = try reader.strings(valuesNode, at: "\(keyPath).values")
            guard (1...64).contains(values.count) else {
                throw reader.error(.invalidValue, valuesNode, "\(keyPath).values", "an enum has 1 to 64 values")
            }
            var seen: Set<String> = []
            for value in values {
                // Enum values go into argv and selectors: keep them to name characters.
                guard ChatNames.isHost(value), !value.hasPrefix("-"), value.count <= 64 else {
                    throw reader.error(.invalidValue, valuesNode, "\(keyPath).values", "\(value.debugDescription): values use letters, digits, . _ -")
                }
                guard seen.insert(value.lowercased()).inserted else {
                    throw reader.error(.invalidValue, valuesNode, "\(keyPath).values", "\(value.debugDescription) is listed twice")
                }
            }
            return AliasParameter(name: name, kind: .enumeration(values))
        case "duration":
            return AliasParameter(name: name, kind: .duration)
        default:
            return AliasParameter(name: name, kind: .host)
        }
    }
}
