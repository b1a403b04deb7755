import NIOSSL

extension IRCSettings {
    /// Reads and checks a `platform: irc` entry; every refusal names the line and the key.
    public static func read(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> IRCSettings {
        let tls = try entry.bool("tls", default: true)
        let (host, port) = try server(entry, tls: tls)
        let caFile = try entry.optionalString("ca_file")
        if let caFile {
            guard tls else { throw entry.error(.invalidValue, "ca_file", "ca_file needs tls: true") }
            do {
                guard try !NIOSSLCertificate.fromPEMFile(caFile).isEmpty else { throw IRCError(.tlsHandshakeFailed, "no certificate") }
            } catch {
                throw entry.error(.invalidValue, "ca_file", "\(caFile) is not a readable PEM certificate file: \(error)")
            }
        }
        let nick = try entry.string("nick", default: "steward")
        guard isNickname(nick) else {
            throw entry.error(.invalidValue, "nick", "'\(nick)' is not an IRC nickname (a letter or one of []\\`_^{|} first, then also digits and '-'; at most 30)")
        }
        let username = try entry.string("username", default: nick)
        guard username.count <= 20, username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw entry.error(.invalidValue, "username", "'\(username)' must be at most 20 ASCII letters, digits, '-', '_' or '.'")
        }
        let realname = try entry.string("realname", default: "Steward ChatOps bot")
        guard realname.count <= 100, !realname.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw entry.error(.invalidValue, "realname", "must be at most 100 characters without control characters")
        }
        let serverPassword = try entry.optionalSecret("password")
        let sasl = try saslCredentials(entry)
        if !tls, serverPassword != nil || sasl != nil, !isLoopback(host) {
            throw entry.error(.invalidValue, "tls", "a password would cross the network in clear: use tls: true (plain connections with passwords are for 127.0.0.1 only)")
        }
        let channels = try entry.strings("channels")
        for (index, channel) in channels.enumerated() where !isChannelName(channel) {
            throw entry.error(.invalidValue, "channels", "channel \(index + 1) '\(channel)' is not a channel name (# or & first, no spaces, commas or control characters, at most 50; quote it in YAML: \"#ops\")")
        }
        let settings = IRCSettings(
            name: entry.name, host: host, port: port, tls: tls, caFile: caFile, nick: nick, username: username, realname: realname,
            serverPassword: serverPassword, sasl: sasl, channels: channels, names: try entry.strings("names"),
            prefix: try entry.string("prefix", default: "!"), sendInterval: try sendInterval(entry),
            sendBurst: try entry.int("send_burst", in: 1...50, default: 4),
            rejoinDelay: try entry.duration("rejoin_delay", default: .seconds(5), max: .seconds(3600)),
            connectTimeout: try entry.duration("connect_timeout", default: .seconds(15), max: .seconds(300)),
            registrationTimeout: try entry.duration("registration_timeout", default: .seconds(60), max: .seconds(600)),
            maxLinesPerReply: try entry.int("max_lines", in: 3...500, default: 30))
        try entry.finish()
        return settings
    }

    static func server(_ entry: ChatConnectionSettings, tls: Bool) throws(ChatSettingsError) -> (String, Int) {
        let text = try entry.string("server")
        let defaultPort = tls ? 6697 : 6667
        let withPort = text.contains(":") && !(text.hasPrefix("[") && text.hasSuffix("]")) ? text : "\(text):\(defaultPort)"
        do {
            let (host, port) = try HostPort.parse(withPort, flag: "server")
            guard port > 0 else { throw ConfigurationError("port 0") }
            return (host, port)
        } catch {
            throw entry.error(.invalidValue, "server", "'\(text)' is not host:port (or host, for port \(defaultPort))")
        }
    }

    static func saslCredentials(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> IRCConnectionStateMachine.SASLCredentials? {
        let user = try entry.optionalString("sasl_user")
        let password = try entry.optionalSecret("sasl_password")
        switch (user, password) {
        case (nil, nil): return nil
        case (.some(let user), .some(let password)): return .init(user: user, password: password)
        case (.some, nil): throw entry.error(.missingKey, "sasl_password", "sasl_user needs 'sasl_password_file' or 'sasl_password_env'")
        case (nil, .some): throw entry.error(.missingKey, "sasl_user", "a SASL password needs 'sasl_user'")
        }
    }

    /// `500ms`, `2s` (a pause between lines) or `4/s` (lines per second); `0ms` turns pacing off.
    static func sendInterval(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> Duration {
        guard let text = try entry.optionalString("send_interval") else { return .seconds(1) }
        let interval: Duration?
        if text.hasSuffix("/s") {
            interval = Int(text.dropLast(2)).flatMap { (1...1000).contains($0) ? Duration.milliseconds(1000) / $0 : nil }
        } else if text.hasSuffix("ms") {
            interval = Int(text.dropLast(2)).flatMap { (0...60_000).contains($0) ? Duration.milliseconds($0) : nil }
        } else if text.hasSuffix("s") {
            interval = Int(text.dropLast()).flatMap { (0...60).contains($0) ? Duration.seconds($0) : nil }
        } else {
            interval = nil
        }
        guard let interval else {
            throw entry.error(.invalidDuration, "send_interval", "'\(text)' is not a pause such as 500ms or 1s (at most 60s), or a rate such as 2/s")
        }
        return interval
    }

    /// RFC 2812 nicknames: a letter or `[]\`_^{|}` first, then those, digits and `-`.
    static func isNickname(_ nick: String) -> Bool {
        let special = "[]\\`_^{|}"
        guard let first = nick.first, (1...30).contains(nick.count), nick.allSatisfy(\.isASCII) else { return false }
        return (first.isLetter || special.contains(first))
            && nick.allSatisfy { $0.isLetter || $0.isNumber || special.contains($0) || $0 == "-" }
    }

    static func isChannelName(_ name: String) -> Bool {
        guard let first = name.first, "#&".contains(first), (2...50).contains(name.utf8.count) else { return false }
        return !name.unicodeScalars.contains { $0 == " " || $0 == "," || $0.value < 0x20 || $0.value == 0x7F }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
