import Foundation
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
        func unreadable(_ reason: String) -> CommandsFileError {
            CommandsFileError(code: .unreadable, path: path, line: nil, keyPath: "", reason: reason)
        }
        let files = FileManager.default
        guard files.fileExists(atPath: path) else { return [] }
        let size = (try? files.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { throw unreadable("cannot read the file's size") }
        guard size <= maxFileSize else { throw unreadable("the file is larger than \(maxFileSize) bytes") }
        guard let data = files.contents(atPath: path) else { throw unreadable("cannot read the file") }
        guard data.count <= maxFileSize else { throw unreadable("the file is larger than \(maxFileSize) bytes") }
        guard let text = String(data: data, encoding: .utf8) else { throw unreadable("the file is not UTF-8") }
        return try parse(text, path: path)
    }

    /// Parses the YAML text; `path` only names the source in errors.
    public static func parse(_ text: String, path: String = "commands.yaml") throws(CommandsFileError) -> [CommandAlias] {
        let document: Node?
        do {
            document = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, path: path)
        } catch {
            throw CommandsFileError(code: .syntax, path: path, line: nil, keyPath: "", reason: "\(error)")
        }
        guard let document else { return [] }
        let reader = CommandsFileReader(path: path)
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

    private static func syntaxError(_ error: YamlError, path: String) -> CommandsFileError {
        let line: Int?
        let reason: String
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            line = mark.line
            reason = [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
        case .duplicatedKeysInMapping(let duplicates, let context):
            line = context.mark.line
            reason = "duplicate key(s) \(duplicates.sorted().joined(separator: ", "))"
        default:
            line = nil
            reason = "\(error)"
        }
        return CommandsFileError(code: .syntax, path: path, line: line, keyPath: "", reason: reason)
    }
}
