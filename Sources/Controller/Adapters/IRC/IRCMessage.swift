/// One IRC protocol message (RFC 1459 / IRCv3 message tags): `@tags :source COMMAND params :trailing`.
///
/// Values are decoded text; ``parse(_:)`` reads a line from the server, ``serialized()`` writes one, and
/// both refuse anything that could smuggle a second line (CR, LF, NUL).
public struct IRCMessage: Sendable, Hashable {
    /// IRCv3 message tags (`account`, `time`, ...), unescaped; a tag without a value maps to "".
    public var tags: [String: String]
    /// Who sent it: a server name or `nick!user@host`; nil for lines a client sends.
    public var source: IRCSource?
    /// Upper-case command (`PRIVMSG`) or three-digit numeric (`001`).
    public var command: String
    /// Middle parameters then the trailing one, without the `:` marker.
    public var parameters: [String]

    public init(tags: [String: String] = [:], source: IRCSource? = nil, command: String, parameters: [String] = []) {
        self.tags = tags
        self.source = source
        self.command = command
        self.parameters = parameters
    }

    /// Longest line without tags, CRLF included.
    public static let maxLineLength = 512
    /// Longest tag section, `@` and the space after it included.
    public static let maxTagsLength = 8191
    /// RFC 1459 allows at most 15 parameters.
    public static let maxParameters = 15

    /// The parameter at `index`, or nil.
    public func parameter(_ index: Int) -> String? {
        parameters.indices.contains(index) ? parameters[index] : nil
    }
}

/// The sender of a message: `nick!user@host` for people, a bare name for servers.
public struct IRCSource: Sendable, Hashable, CustomStringConvertible {
    /// The nickname, or the server's name.
    public var nick: String
    public var user: String?
    public var host: String?

    public init(nick: String, user: String? = nil, host: String? = nil) {
        self.nick = nick
        self.user = user
        self.host = host
    }

    /// Splits `nick!user@host` (either part after the nick may be absent).
    public init(parsing text: String) {
        var rest = Substring(text)
        var host: Substring?
        if let at = rest.firstIndex(of: "@") {
            host = rest[rest.index(after: at)...]
            rest = rest[..<at]
        }
        var user: Substring?
        if let bang = rest.firstIndex(of: "!") {
            user = rest[rest.index(after: bang)...]
            rest = rest[..<bang]
        }
        self.init(nick: String(rest), user: user.map(String.init), host: host.map(String.init))
    }

    /// True for a person's full mask (both user and host present and non-empty).
    public var isFullMask: Bool { !(user ?? "").isEmpty && !(host ?? "").isEmpty && !nick.isEmpty }

    public var description: String {
        nick + (user.map { "!\($0)" } ?? "") + (host.map { "@\($0)" } ?? "")
    }
}
