import Foundation
import Logging
import Testing
import Yams
@testable import StewardController

@Suite("Rocket.Chat entries of controller.yaml")
struct RocketChatSettingsTests {
    static let environment = ["RC_TOKEN": "pat-abc_DEF-123", "RC_SPACED": "pat abc"]

    static func connections(_ yaml: String) throws -> [any ChatConnection] {
        let node = try #require(try Yams.compose(yaml: yaml))
        return try ChatConnectionSettings.parseList(node, path: "controller.yaml", environment: environment).map {
            entry throws(ChatSettingsError) in
            try ChatConnectionFactory.make(entry, context: ChatConnectionContext(logger: Logger(label: "test"), stateDirectory: "/state/chat/\(entry.name)"))
        }
    }

    @Test func aFullEntryIsReadAndNeverShowsTheToken() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rc-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token").path
        try "pat-from-file_123\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile)
        let made = try Self.connections("""
            - platform: rocketchat
              name: ops-rocket
              server: https://chat.example.com/
              user_id: aobEdbYhXfu5hkeqG
              token_file: \(tokenFile)
              names: [bot]
              prefix: "?"
              rooms: [GENERAL, 64a1f373376181965ab77f54]
              max_message_length: 10000
            """)
        let rocket = try #require(made.first as? RocketChatConnection)
        #expect(rocket.name == "ops-rocket")
        #expect(rocket.settings.serverURL == "https://chat.example.com")
        #expect(rocket.settings.userID == "aobEdbYhXfu5hkeqG")
        #expect(rocket.settings.token == "pat-from-file_123")
        #expect(rocket.settings.names == ["bot"])
        #expect(rocket.settings.prefix == "?")
        #expect(rocket.settings.rooms == ["GENERAL", "64a1f373376181965ab77f54"])
        #expect(rocket.adapter.capabilities.maxMessageLength == 10_000)
        #expect(rocket.client.webSocketURL == "wss://chat.example.com/websocket")
        var dumped = ""
        dump(rocket, to: &dumped)
        for shown in ["\(rocket.settings)", String(reflecting: rocket.settings), "\(rocket.client.configuration)", dumped] {
            #expect(!shown.contains("pat-from-file"), "the token leaked: \(shown)")
        }
    }

    @Test func defaultsAndLoopbackHTTP() throws {
        let made = try Self.connections("""
            - {platform: rocketchat, server: "http://127.0.0.1:3000", user_id: aobEdbYhXfu5hkeqG, token_env: RC_TOKEN}
            - {platform: rocketchat, name: lan, server: "http://rocket.lan:3000", allow_insecure_http: true, user_id: aobEdbYhXfu5hkeqG, token_env: RC_TOKEN}
            """)
        let local = try #require(made.first as? RocketChatConnection)
        #expect(local.name == "rocketchat")
        #expect(local.settings.token == "pat-abc_DEF-123")
        #expect(local.settings.prefix == "!" && local.settings.names.isEmpty && local.settings.rooms.isEmpty)
        #expect(local.adapter.capabilities.maxMessageLength == 5000)
        #expect(local.client.webSocketURL == "ws://127.0.0.1:3000/websocket")
        #expect((made.last as? RocketChatConnection)?.settings.serverURL == "http://rocket.lan:3000")
    }

    static let base = "- platform: rocketchat\n  server: https://chat.example.com\n  user_id: aobEdbYhXfu5hkeqG\n  token_env: RC_TOKEN"

    /// (entry, line, key path, fragment of the reason)
    static let refused: [(String, Int, String, String)] = [
        ("- platform: rocketchat\n  user_id: aobEdbYhXfu5hkeqG\n  token_env: RC_TOKEN", 1, "chat[0].server", "'server' is required"),
        ("- platform: rocketchat\n  server: chat.example.com\n  user_id: u\n  token_env: RC_TOKEN", 2, "chat[0].server", "not an absolute"),
        ("- platform: rocketchat\n  server: http://chat.example.com\n  user_id: u\n  token_env: RC_TOKEN", 2, "chat[0].server",
         "would send the token unencrypted: use https://, or set 'allow_insecure_http: true'"),
        ("- platform: rocketchat\n  server: https://chat.example.com/?x=1\n  user_id: u\n  token_env: RC_TOKEN", 2, "chat[0].server", "without a query"),
        ("- platform: rocketchat\n  server: https://chat.example.com\n  token_env: RC_TOKEN", 1, "chat[0].user_id", "'user_id' is required"),
        ("- platform: rocketchat\n  server: https://chat.example.com\n  user_id: alice smith\n  token_env: RC_TOKEN", 3, "chat[0].user_id",
         "'alice smith' is not a Rocket.Chat user id"),
        ("- platform: rocketchat\n  server: https://chat.example.com\n  user_id: u", 1, "chat[0].token", "'token_file' or 'token_env' is required"),
        ("- platform: rocketchat\n  server: https://chat.example.com\n  user_id: u\n  token: pat-inline", 4, "chat[0].token",
         "secrets are not written in the config file: use 'token_file' or 'token_env'"),
        ("- platform: rocketchat\n  server: https://chat.example.com\n  user_id: u\n  token_env: UNSET", 4, "chat[0].token_env", "UNSET is not set or empty"),
        ("- platform: rocketchat\n  server: https://chat.example.com\n  user_id: u\n  token_env: RC_SPACED", 4, "chat[0].token_env",
         "the token has characters a personal access token never has"),
        ("- platform: rocketchat\n  server: https://chat.example.com\n  user_id: u\n  token_env: RC_TOKEN\n  token_file: /x", 4, "chat[0].token_env", "not both"),
        ("- platform: rocketchat\n  server: https://chat.example.com\n  user_id: u\n  token_file: /nonexistent/rc-token", 4, "chat[0].token_file", "cannot read"),
        (base + "\n  rooms: [\"#ops\"]", 5, "chat[0].rooms", "that is a room name: give the room id"),
        (base + "\n  max_message_length: 10", 5, "chat[0].max_message_length", "500"),
        (base + "\n  allow_insecure_http: maybe", 5, "chat[0].allow_insecure_http", "expected true or false"),
        (base + "\n  room: [GENERAL]", 5, "chat[0].room", "unknown key for a rocketchat connection"),
    ]

    @Test(arguments: refused)
    func badEntriesAreRefusedWithLineAndReason(_ yaml: String, _ line: Int, _ keyPath: String, _ fragment: String) throws {
        #expect {
            _ = try Self.connections(yaml)
        } throws: { error in
            guard let error = error as? ChatSettingsError else { return false }
            return error.line == line && error.keyPath == keyPath && error.reason.contains(fragment)
        }
    }

    @Test func aWorldReadableTokenFileIsRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rc-token-\(UUID().uuidString)").path
        try "pat-x".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect {
            _ = try Self.connections("- platform: rocketchat\n  server: https://c.example\n  user_id: u\n  token_file: \(file)")
        } throws: { error in
            (error as? ChatSettingsError)?.reason.contains("readable by others") == true
        }
    }
}
