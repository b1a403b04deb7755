import StewardConfig
import Yams

/// `commands.yaml`: custom chat commands (aliases) with typed parameters.
///
/// Strict: unknown keys, wrong types, malformed templates and aliases that would shadow a built-in verb
/// are errors naming file, line and reason, and one error refuses the whole file.
public enum CommandsFile {
    /// Command files are small; anything larger is a mistake.
    public static let maxFileSize = 1 << 20
    /// More aliases than this would not fit in a `help` reply.
    public static let maxAliases = 256

    /// The aliases in the file at `path`; no file means no aliases.
    public static func load(path: String) throws(CommandsFileError) -> [CommandAlias] {
        guard let text = try ConfigFile<CommandsFile>(path: path).contents(maxSize: maxFileSize) else { return [] }
        return try parse(text, path: path)
    }

    /// Parses the YAML text; `path` only names the source in errors.
    public static func parse(_ text: String, path: String = "commands.yaml") throws(CommandsFileError) -> [CommandAlias] {
        let file = ConfigFile<CommandsFile>(path: path)
        guard let document = try file.compose(text) else { return [] }
        let reader = file.reader
        let top = try reader.mapping(document, at: "", allowed: ["commands"])
        guard let commands = top.first?.value, CommandsFileReader.tagName(of: commands) != .null else { return [] }
        let entries = try reader.mapping(commands, at: "commands")
        guard entries.count <= maxAliases else {
            throw reader.error(.invalidValue, commands, "commands", "more than \(maxAliases) commands")
        }
        var aliases: [CommandAlias] = []
        var shapes: [String: String] = [:]
        for entry in entries {
            let alias = try parseAlias(entry.key, keyNode: entry.keyNode, node: entry.value, reader: reader)
            let shape = alias.pattern.map { element -> String in
                if case .word(let word) = element { return word }
                return "{}"
            }.joined(separator: " ")
            if let other = shapes[shape] {
                throw reader.error(
                    .duplicate, entry.keyNode, "commands.\(entry.key)",
                    "the pattern has the same shape as `\(other)`'s, so one of them could never be used")
            }
            shapes[shape] = entry.key
            aliases.append(alias)
        }
        return aliases
    }
}
