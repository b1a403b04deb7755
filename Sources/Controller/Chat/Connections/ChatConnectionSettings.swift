import Foundation
import StewardConfig
import Yams

/// The `chat:` list of `controller.yaml`: one entry per connection, each read by its platform's factory.
public enum ChatConnectionsFile {}

public typealias ChatSettingsError = ConfigFileError<ChatConnectionsFile>

/// One `chat:` entry: `platform`, an optional `name` (defaults to the platform), and the platform's keys.
///
/// Platforms read their keys through the typed accessors, then call ``finish()``, which refuses any key
/// nobody read: a typo must never silently fall back to a default. Secrets are never written inline: a
/// secret `token` is given as `token_file` (a file, trimmed) or `token_env` (an environment variable).
public struct ChatConnectionSettings: @unchecked Sendable {
    public let name: String
    public let platform: String
    let keyPath: String
    let reader: ConfigNodeReader<ChatConnectionsFile>
    let node: Node
    let entries: [String: (keyNode: Node, value: Node)]
    let environment: [String: String]
    private let consumed = Consumed()

    /// Names of entries: letters, digits, `-` and `_` (a letter or digit first, at most 63), as they appear
    /// in logs, `/healthz` and the state directory.
    static func isValidName(_ name: String) -> Bool {
        let ascii = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
        return ascii && (1...63).contains(name.count) && name.first != "-" && name.first != "_"
    }

    init(node: Node, keyPath: String, reader: ConfigNodeReader<ChatConnectionsFile>, environment: [String: String]) throws(ChatSettingsError) {
        let mapping = try reader.mapping(node, at: keyPath, required: ["platform"])
        var entries: [String: (keyNode: Node, value: Node)] = [:]
        for entry in mapping { entries[entry.key] = (entry.keyNode, entry.value) }
        self.reader = reader
        self.node = node
        self.keyPath = keyPath
        self.entries = entries
        self.environment = environment
        let platform = try reader.literal(entries["platform"]!.value, at: ConfigNodeReader<ChatConnectionsFile>.join(keyPath, "platform"))
        self.platform = platform
        if let nameNode = entries["name"]?.value {
            let name = try reader.literal(nameNode, at: ConfigNodeReader<ChatConnectionsFile>.join(keyPath, "name"))
            guard Self.isValidName(name) else {
                throw reader.error(.invalidName, nameNode, ConfigNodeReader<ChatConnectionsFile>.join(keyPath, "name"),
                                   "'\(name)' is not a name (letters, digits, '-' and '_', at most 63)")
            }
            self.name = name
        } else {
            self.name = platform
        }
        consumed.insert("platform")
        consumed.insert("name")
    }

    /// Parses the whole `chat:` list; names must be unique.
    public static func parseList(
        _ node: Node, path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ChatSettingsError) -> [ChatConnectionSettings] {
        let reader = ConfigNodeReader<ChatConnectionsFile>(path: path)
        var seen: Set<String> = []
        var result: [ChatConnectionSettings] = []
        for (index, entry) in try reader.sequence(node, at: "chat").enumerated() {
            let settings = try ChatConnectionSettings(node: entry, keyPath: "chat[\(index)]", reader: reader, environment: environment)
            guard ChatConnectionFactory.platforms.contains(settings.platform) else {
                throw settings.error(.invalidValue, "platform", ChatConnectionFactory.unknownPlatform(settings.platform))
            }
            guard seen.insert(settings.name).inserted else {
                throw reader.error(.invalidValue, entry, "chat[\(index)].name",
                                   "two chat connections are named '\(settings.name)'; give each a distinct name")
            }
            result.append(settings)
        }
        return result
    }

    func location(_ key: String) -> String { ConfigNodeReader<ChatConnectionsFile>.join(keyPath, key) }

    /// An error about `key` (or the entry itself when the key is absent).
    public func error(_ code: ChatSettingsError.Code, _ key: String, _ reason: String) -> ChatSettingsError {
        reader.error(code, entries[key]?.value ?? node, location(key), reason)
    }

    public func has(_ key: String) -> Bool { entries[key] != nil }

    public func optionalString(_ key: String) throws(ChatSettingsError) -> String? {
        consumed.insert(key)
        guard let value = entries[key]?.value else { return nil }
        let text = try reader.literal(value, at: location(key))
        guard !text.isEmpty else { throw error(.invalidValue, key, "must not be empty") }
        return text
    }

    public func string(_ key: String) throws(ChatSettingsError) -> String {
        guard let value = try optionalString(key) else { throw error(.missingKey, key, "'\(key)' is required") }
        return value
    }

    public func string(_ key: String, default fallback: String) throws(ChatSettingsError) -> String {
        try optionalString(key) ?? fallback
    }

    /// One of `choices`, or `fallback` when absent.
    public func choice(_ key: String, _ choices: [String], default fallback: String) throws(ChatSettingsError) -> String {
        let value = try string(key, default: fallback)
        guard choices.contains(value) else {
            throw error(.invalidValue, key, "'\(value)' is not one of: \(choices.joined(separator: ", "))")
        }
        return value
    }

    public func int(_ key: String, in range: ClosedRange<Int>, default fallback: Int) throws(ChatSettingsError) -> Int {
        consumed.insert(key)
        guard let value = entries[key]?.value else { return fallback }
        return try reader.int(value, at: location(key), in: range)
    }

    public func bool(_ key: String, default fallback: Bool) throws(ChatSettingsError) -> Bool {
        consumed.insert(key)
        guard let value = entries[key]?.value else { return fallback }
        return try reader.bool(value, at: location(key))
    }

    /// A list of strings (a single value counts as a list of one); empty when absent.
    public func strings(_ key: String) throws(ChatSettingsError) -> [String] {
        consumed.insert(key)
        guard let value = entries[key]?.value else { return [] }
        var result: [String] = []
        for item in try reader.oneOrMore(value, at: location(key)) {
            result.append(try reader.literal(item.node, at: item.keyPath))
        }
        return result
    }

    /// An absolute `http`/`https` (or, with `schemes`, other) URL.
    public func url(_ key: String, schemes: Set<String> = ["http", "https"], default fallback: String? = nil) throws(ChatSettingsError) -> String {
        guard let text = try optionalString(key) ?? fallback else { throw error(.missingKey, key, "'\(key)' is required") }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), schemes.contains(scheme), url.host?.isEmpty == false else {
            throw error(.invalidValue, key, "'\(text)' is not an absolute \(schemes.sorted().joined(separator: "/")) URL")
        }
        return text
    }

    /// An HTTP path the platform POSTs to (`/slack/events`, `/hooks/NAME`): plain, absolute, outside the
    /// controller's own `/api/`, `/healthz`, `/metrics` and the web console's files. One rule for every
    /// connection that adds a route.
    public func routePath(_ key: String, default fallback: String) throws(ChatSettingsError) -> String {
        let path = try string(key, default: fallback)
        guard path.hasPrefix("/"), !path.lowercased().hasPrefix("/api/"), path.count <= 200,
              !path.contains(".."), !path.contains("?"), !path.contains("#"), !path.contains(":")
        else {
            throw error(.invalidValue, key, "'\(path)' must be a plain path starting with '/', not under /api/")
        }
        let reserved = ["/", "/healthz", "/metrics", "/index.html", "/app.js", "/app.css", "/api"]
        guard !reserved.contains(Self.routeKey(path)) else {
            throw error(.invalidValue, key, "'\(path)' is the controller's own (\(reserved.joined(separator: ", "))): choose another path")
        }
        return path
    }

    /// How the router tells paths apart: without trailing slashes, and case-insensitively to be safe.
    static func routeKey(_ path: String) -> String {
        var key = path.lowercased()
        while key.count > 1, key.hasSuffix("/") { key.removeLast() }
        return key
    }

    /// A duration such as `30s`, `5m` or `1h`.
    public func duration(_ key: String, default fallback: Duration, max: Duration = .seconds(86_400)) throws(ChatSettingsError) -> Duration {
        guard let text = try optionalString(key) else { return fallback }
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600]
        guard let unit = text.last, let factor = units[unit], let value = Int64(text.dropLast()), value > 0,
              value <= 86_400 * 365, Duration.seconds(value * factor) <= max
        else {
            throw error(.invalidDuration, key, "'\(text)' is not a duration such as 30s, 5m or 1h (at most \(max))")
        }
        return .seconds(value * factor)
    }

    /// A secret given as `<key>_file` (read, trimmed; the file must not be readable by others) or `<key>_env`.
    public func secret(_ key: String) throws(ChatSettingsError) -> String {
        guard let value = try optionalSecret(key) else {
            throw error(.missingKey, key, "'\(key)_file' or '\(key)_env' is required")
        }
        return value
    }

    public func optionalSecret(_ key: String) throws(ChatSettingsError) -> String? {
        if has(key) {
            throw error(.invalidValue, key, "secrets are not written in the config file: use '\(key)_file' or '\(key)_env'")
        }
        let file = try optionalString("\(key)_file")
        let variable = try optionalString("\(key)_env")
        switch (file, variable) {
        case (nil, nil):
            return nil
        case (.some, .some):
            throw error(.invalidValue, "\(key)_env", "give '\(key)_file' or '\(key)_env', not both")
        case (.some(let path), nil):
            return try Self.readSecretFile(path) { reason throws(ChatSettingsError) in
                throw error(.invalidValue, "\(key)_file", "\(path): \(reason)")
            }
        case (nil, .some(let name)):
            guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw error(.invalidValue, "\(key)_env", "the environment variable \(name) is not set or empty")
            }
            return value
        }
    }

    static func readSecretFile(
        _ path: String, fail: (String) throws(ChatSettingsError) -> Never
    ) throws(ChatSettingsError) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { try fail("cannot read: \(String(cString: strerror(errno)))") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { try fail("not a regular file") }
        guard status.st_mode & 0o077 == 0 else {
            try fail(String(format: "is readable by others (mode %o); chmod 600 it", status.st_mode & 0o777))
        }
        guard status.st_size <= 64 * 1024, let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines)
        else { try fail("cannot read it as a UTF-8 text of at most 64 KiB") }
        guard !text.isEmpty else { try fail("the file is empty") }
        return text
    }

    /// Refuses keys that no accessor read.
    public func finish() throws(ChatSettingsError) {
        let unread = entries.keys.filter { !consumed.contains($0) }.sorted()
        guard let first = unread.first else { return }
        let known = consumed.all.sorted().joined(separator: ", ")
        throw reader.error(.unknownKey, entries[first]?.keyNode, location(first),
                           "unknown key for a \(platform) connection (expected one of: \(known))")
    }
}

/// Only name and platform: the entry holds the process environment, which may hold secrets.
extension ChatConnectionSettings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "ChatConnectionSettings(name: \(name), platform: \(platform))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["name": name, "platform": platform]) }
}

/// The keys an entry's accessors have read (a reference, so the accessors stay non-mutating).
private final class Consumed: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: Set<String> = []

    func insert(_ key: String) { lock.withLock { _ = keys.insert(key) } }
    func contains(_ key: String) -> Bool { lock.withLock { keys.contains(key) } }
    var all: Set<String> { lock.withLock { keys } }
}
