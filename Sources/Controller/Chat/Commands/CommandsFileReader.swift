import StewardConfig
import Yams

/// Typed, strict access to the YAML nodes of `commands.yaml`; every failure names file, line and key path.
typealias CommandsFileReader = ConfigNodeReader<CommandsFile>

/// The accessors whose rules are `commands.yaml`'s own.
extension ConfigNodeReader where Domain == CommandsFile {
    /// A required entry of a mapping read with `mapping(_:at:allowed:)`.
    func required(
        _ key: String, in entries: [(key: String, keyNode: Node, value: Node)], of node: Node, at keyPath: String
    ) throws(CommandsFileError) -> Node {
        guard let entry = entries.first(where: { $0.key == key }) else {
            throw error(.missingKey, node, keyPath, "missing required key `\(key)`")
        }
        return entry.value
    }

    /// Any non-null scalar without control characters, taken literally (so `yes` stays the word yes).
    func string(_ node: Node, at keyPath: String) throws(CommandsFileError) -> String {
        let text = try literal(node, at: keyPath)
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw error(.invalidValue, node, keyPath, "the string contains a control character")
        }
        return text
    }

    func strings(_ node: Node, at keyPath: String) throws(CommandsFileError) -> [String] {
        var values: [String] = []
        for (index, element) in try sequence(node, at: keyPath).enumerated() {
            values.append(try string(element, at: "\(keyPath)[\(index)]"))
        }
        return values
    }
}
