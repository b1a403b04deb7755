import Yams

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension AgentPolicy {
    /// Policy files are small; anything larger is a mistake, not a policy.
    public static let maxFileSize = 1 << 20

    /// Loads the policy file at `path`. An absent file is the default policy; a file that exists
    /// but is unreadable or invalid is an error, never a partial or default policy.
    public static func load(from path: String = AgentPolicy.defaultPath) throws(PolicyError) -> AgentPolicy {
        guard let text = try readPolicyFile(path) else { return .default }
        return try parse(yaml: text, path: path)
    }

    /// Parses policy YAML; `path` only names the source in errors.
    public static func parse(yaml: String, path: String = "agent.yaml") throws(PolicyError) -> AgentPolicy {
        let document: Node?
        do {
            document = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, path: path)
        } catch {
            throw PolicyError(code: .syntax, path: path, line: nil, keyPath: "", reason: "\(error)")
        }
        return try PolicyParser(reader: PolicyNodeReader(path: path)).policy(from: document)
    }

    private static func syntaxError(_ error: YamlError, path: String) -> PolicyError {
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
        return PolicyError(code: .syntax, path: path, line: line, keyPath: "", reason: reason)
    }

    /// The file's text, or `nil` when there is no file.
    private static func readPolicyFile(_ path: String) throws(PolicyError) -> String? {
        func unreadable(_ reason: String) -> PolicyError {
            PolicyError(code: .unreadable, path: path, line: nil, keyPath: "", reason: reason)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw unreadable("cannot open: \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw unreadable("cannot read: \(String(cString: strerror(code)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
            guard bytes.count <= maxFileSize else {
                throw unreadable("the file is larger than \(maxFileSize) bytes")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw unreadable("the file is not valid UTF-8")
        }
        return text
    }
}
