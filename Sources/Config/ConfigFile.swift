import Yams

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One strict YAML configuration file: reading it from disk with a size cap, and composing its YAML
/// into nodes; failures are `ConfigFileError<Domain>` naming `path`.
public struct ConfigFile<Domain>: Sendable {
    /// The file name used in errors.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// A reader for this file's nodes, naming the same path in its errors.
    public var reader: ConfigNodeReader<Domain> { ConfigNodeReader(path: path) }

    /// The file's text, or `nil` when there is no file. A file that exists but is a directory, cannot be
    /// read, is larger than `maxSize` bytes or is not UTF-8 is an `unreadable` error, never "no file".
    public func contents(maxSize: Int) throws(ConfigFileError<Domain>) -> String? {
        func unreadable(_ reason: String) -> ConfigFileError<Domain> {
            ConfigFileError(code: .unreadable, path: path, line: nil, reason: reason)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw unreadable("cannot open: \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw unreadable("is a directory, not a file")
        }
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
            // Checked while reading, so a huge (or endless) file is never held in memory.
            guard bytes.count <= maxSize else {
                throw unreadable("the file is larger than \(maxSize) bytes")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw unreadable("the file is not valid UTF-8")
        }
        return text
    }

    /// The YAML document in `yaml`, or `nil` for an empty document; malformed YAML (including duplicate
    /// keys) is a `syntax` error with the line Yams reports.
    public func compose(_ yaml: String) throws(ConfigFileError<Domain>) -> Node? {
        do {
            return try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw ConfigFileError(code: .syntax, path: path, line: nil, reason: "\(error)")
        }
    }

    private func syntaxError(_ error: YamlError) -> ConfigFileError<Domain> {
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
        return ConfigFileError(code: .syntax, path: path, line: line, reason: reason)
    }
}
