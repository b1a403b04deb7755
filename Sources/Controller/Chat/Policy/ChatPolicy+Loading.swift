import Foundation
import Yams

extension ChatPolicy {
    /// Policy files are small; anything larger is a mistake, not a policy.
    public static let maxFileSize = 1 << 20

    /// Loads `policy.yaml`. An absent file is `denyAll` (only `help` and `whoami` work); a file that exists
    /// but is unreadable or invalid throws, and nothing of it is used.
    public static func load(path: String) throws(PolicyFileError) -> ChatPolicy {
        func unreadable(_ reason: String) -> PolicyFileError {
            PolicyFileError(code: .unreadable, path: path, line: nil, reason: reason)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .denyAll }
        guard !isDirectory.boolValue else { throw unreadable("is a directory, not a policy file") }
        let data: Data
        do {
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            guard size <= maxFileSize else { throw unreadable("the file is larger than \(maxFileSize) bytes") }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as PolicyFileError {
            throw error
        } catch {
            throw unreadable("cannot read: \(error.localizedDescription)")
        }
        guard data.count <= maxFileSize else { throw unreadable("the file is larger than \(maxFileSize) bytes") }
        guard let text = String(data: data, encoding: .utf8) else { throw unreadable("the file is not valid UTF-8") }
        return try parse(yaml: text, path: path)
    }

    /// Parses policy YAML; `path` only names the source in errors.
    public static func parse(yaml: String, path: String = "policy.yaml") throws(PolicyFileError) -> ChatPolicy {
        let document: Node?
        do {
            document = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, path: path)
        } catch {
            throw PolicyFileError(code: .syntax, path: path, line: nil, reason: "\(error)")
        }
        return try ChatPolicyParser(reader: ChatPolicyNodeReader(path: path)).policy(from: document)
    }

    private static func syntaxError(_ error: YamlError, path: String) -> PolicyFileError {
        var line: Int?
        var reason = "\(error)"
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
            break
        }
        return PolicyFileError(code: .syntax, path: path, line: line, reason: reason)
    }
}
