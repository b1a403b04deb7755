import Foundation
import Logging
import Testing
import Yams
@testable import StewardController

/// `platform: irc` entries of controller.yaml: defaults, secrets, and refusals with line and key.
@Suite struct IRCSettingsTests {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "steward-irc-settings-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func file(_ name: String, _ content: String, mode: Int = 0o600) -> String {
        let path = "\(directory)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(content.utf8), attributes: [.posixPermissions: mode])
        return path
    }

    static func settings(_ yaml: String, environment: [String: String] = [:]) throws -> IRCSettings {
        let node = try #require(try Yams.compose(yaml: yaml))
        let entry = try #require(try ChatConnectionSettings.parseList(node, path: "controller.yaml", environment: environment).first)
        return try IRCSettings.read(entry)
    }

    @Test func defaultsAreTLSOn6697WithNickSteward() throws {
        let settings = try Self.settings("- platform: irc\n  server: irc.libera.chat\n")
        #expect(settings.host == "irc.libera.chat" && settings.port == 6697 && settings.tls)
        #expect(settings.nick == "steward" && settings.username == "steward" && settings.channels.isEmpty)
        #expect(settings.sendInterval == .seconds(1) && settings.sendBurst == 4 && settings.rejoinDelay == .seconds(5))
        #expect(settings.sasl == nil && settings.serverPassword == nil && settings.caFile == nil)
        #expect(settings.endpoint == "irc.libera.chat:6697")
    }

    @Test func aFullEntryIsRead() throws {
        let password = Self.file("sasl-pass", "s3cret\n")
        let settings = try Self.settings("""
            - platform: irc
              name: libera
              server: "[::1]:7000"
              tls: false
              nick: opsbot
              username: ops
              sasl_user: opsbot
              sasl_password_file: \(password)
              password_env: IRC_PASS
              channels: ["#ops", "&local"]
              names: [steward]
              send_interval: 4/s
              send_burst: 2
              rejoin_delay: 30s
              max_lines: 10
            """, environment: ["IRC_PASS": "server-pass"])
        #expect(settings.name == "libera" && settings.host == "::1" && settings.port == 7000 && !settings.tls)
        #expect(settings.sasl == .init(user: "opsbot", password: "s3cret"))
        #expect(settings.serverPassword == "server-pass")
        #expect(settings.channels == ["#ops", "&local"] && settings.names == ["steward"])
        #expect(settings.sendInterval == .milliseconds(250) && settings.sendBurst == 2 && settings.maxLinesPerReply == 10)
        #expect(settings.endpoint == "[::1]:7000")
        #expect(!"\(settings)".contains("s3cret") && !"\(settings)".contains("server-pass"), "\(settings)")
    }

    @Test(arguments: [("500ms", Duration.milliseconds(500)), ("0ms", .zero), ("2s", .seconds(2)), ("2/s", .milliseconds(500))])
    func sendIntervalTakesPausesOrRates(_ text: String, _ expected: Duration) throws {
        #expect(try Self.settings("- platform: irc\n  server: h\n  send_interval: \(text)\n").sendInterval == expected)
    }

    static let notPEM = file("not-a-cert.pem", "hello", mode: 0o644)

    /// (entry after `- platform: irc`, line, key path, fragment of the reason)
    static let refused: [(String, Int, String, String)] = [
        ("", 1, "chat[0].server", "'server' is required"),
        ("\n  server: irc.example.org:http", 2, "chat[0].server", "is not host:port"),
        ("\n  server: irc.example.org:0", 2, "chat[0].server", "is not host:port"),
        ("\n  server: h\n  nick: 9lives", 3, "chat[0].nick", "is not an IRC nickname"),
        ("\n  server: h\n  nick: \"st ward\"", 3, "chat[0].nick", "is not an IRC nickname"),
        ("\n  server: h\n  username: \"a@b\"", 3, "chat[0].username", "at most 20 ASCII letters"),
        ("\n  server: h\n  channels: [ops]", 3, "chat[0].channels", "channel 1 'ops' is not a channel name"),
        ("\n  server: h\n  channels: [\"#ok\", \"#a,#b\"]", 3, "chat[0].channels", "channel 2 '#a,#b'"),
        ("\n  server: h\n  sasl_user: bot", 1, "chat[0].sasl_password", "sasl_user needs 'sasl_password_file'"),
        ("\n  server: h\n  sasl_password_env: P", 1, "chat[0].sasl_user", "a SASL password needs 'sasl_user'"),
        ("\n  server: h\n  sasl_user: bot\n  sasl_password: inline", 4, "chat[0].sasl_password", "secrets are not written in the config file"),
        ("\n  server: irc.example.org\n  tls: false\n  password_env: P", 3, "chat[0].tls", "would cross the network in clear"),
        ("\n  server: h\n  tls: false\n  ca_file: /x.pem", 4, "chat[0].ca_file", "ca_file needs tls: true"),
        ("\n  server: h\n  ca_file: /nonexistent/ca.pem", 3, "chat[0].ca_file", "is not a readable PEM certificate file"),
        ("\n  server: h\n  ca_file: \(notPEM)", 3, "chat[0].ca_file", "is not a readable PEM certificate file"),
        ("\n  server: h\n  send_interval: fast", 3, "chat[0].send_interval", "'fast' is not a pause"),
        ("\n  server: h\n  send_interval: 90s", 3, "chat[0].send_interval", "is not a pause"),
        ("\n  server: h\n  send_burst: 0", 3, "chat[0].send_burst", "out of range"),
        ("\n  server: h\n  rejoin_delay: 5", 3, "chat[0].rejoin_delay", "is not a duration"),
        ("\n  server: h\n  chanels: [\"#ops\"]", 3, "chat[0].chanels", "unknown key for a irc connection"),
    ]

    @Test(arguments: refused)
    func badEntriesAreRefusedWithLineAndReason(_ rest: String, _ line: Int, _ keyPath: String, _ fragment: String) throws {
        #expect {
            _ = try Self.settings("- platform: irc" + rest, environment: ["P": "pw"])
        } throws: { error in
            guard let error = error as? ChatSettingsError else { return false }
            return error.line == line && error.keyPath == keyPath && error.reason.contains(fragment)
        }
    }

    @Test func plainConnectionsWithPasswordsAreAllowedOnLoopback() throws {
        let settings = try Self.settings("- platform: irc\n  server: 127.0.0.1:6667\n  tls: false\n  password_env: P\n", environment: ["P": "pw"])
        #expect(settings.serverPassword == "pw" && !settings.tls)
    }

    @Test func theFactoryMakesAnIRCConnectionThatStartsUnhealthy() async throws {
        let node = try #require(try Yams.compose(yaml: "- platform: irc\n  server: 127.0.0.1:6697\n  channels: [\"#ops\"]\n"))
        let entry = try #require(try ChatConnectionSettings.parseList(node, path: "controller.yaml").first)
        let connection = try ChatConnectionFactory.make(entry, context: ChatConnectionContext(logger: Logger(label: "test"), stateDirectory: Self.directory))
        #expect(connection is IRCConnection)
        #expect(connection.name == "irc")
        let health = await connection.health.snapshot
        #expect(health.platform == "irc" && !health.isHealthy)
    }
}
