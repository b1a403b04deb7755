import Foundation
import Logging
import Testing
import Yams
@testable import StewardController

@Suite("Matrix entries of controller.yaml")
struct MatrixSettingsTests {
    static func connections(_ yaml: String, environment: [String: String] = ["MATRIX_TOKEN": "syt_abc"]) throws -> [any ChatConnection] {
        let node = try #require(try Yams.compose(yaml: yaml))
        return try ChatConnectionSettings.parseList(node, path: "controller.yaml", environment: environment).map {
            entry throws(ChatSettingsError) in
            try ChatConnectionFactory.make(entry, context: ChatConnectionContext(logger: Logger(label: "test"), stateDirectory: "/state/chat/\(entry.name)"))
        }
    }

    @Test func aFullEntryIsRead() throws {
        let made = try Self.connections("""
            - platform: matrix
              name: ops-matrix
              homeserver: https://matrix.example.org/
              user_id: "@steward:example.org"
              access_token_env: MATRIX_TOKEN
              rooms: ["!abc:example.org", "!VNYvo2tUDaFySqRNXZiYB70lQ3ixf_0Mq3ORH79nUYs"]
              names: [bot]
              prefix: "?"
              sync_timeout: 10s
              max_event_age: 1h
            """)
        let matrix = try #require(made.first as? MatrixConnection)
        #expect(matrix.name == "ops-matrix")
        #expect(matrix.settings.homeserver == "https://matrix.example.org")
        #expect(matrix.settings.userID == "@steward:example.org")
        #expect(matrix.settings.accessToken == "syt_abc")
        #expect(matrix.settings.rooms == ["!abc:example.org", "!VNYvo2tUDaFySqRNXZiYB70lQ3ixf_0Mq3ORH79nUYs"])
        #expect(matrix.settings.names == ["bot"])
        #expect(matrix.settings.prefix == "?")
        #expect(matrix.settings.syncTimeout == .seconds(10))
        #expect(matrix.settings.maxEventAge == .seconds(3600))
        #expect(matrix.settings.stateDirectory == "/state/chat/ops-matrix")
        #expect(!matrix.settings.joinOnInvite)
        var dumped = ""
        dump(matrix, to: &dumped)
        for shown in ["\(matrix.settings)", String(reflecting: matrix.settings), "\(matrix.adapter.client.configuration)", dumped] {
            #expect(!shown.contains("syt_abc"), "the access token leaked: \(shown)")
        }
    }

    @Test func defaultsListenEverywhereAndJoinNothingUninvited() throws {
        let made = try Self.connections("""
            - {platform: matrix, homeserver: "http://127.0.0.1:8008", user_id: "@s:localhost", access_token_env: MATRIX_TOKEN}
            """)
        let matrix = try #require(made.first as? MatrixConnection)
        #expect(matrix.name == "matrix")
        #expect(matrix.settings.rooms.isEmpty && !matrix.settings.joinOnInvite)
        #expect(matrix.settings.syncTimeout == .seconds(30))
        #expect(matrix.settings.maxEventAge == .seconds(600))
        #expect(matrix.settings.prefix == "!")
        #expect(!matrix.acceptsInvite(to: "!any"))
    }

    static let base = "- platform: matrix\n  homeserver: https://m.org\n  user_id: \"@s:m.org\"\n  access_token_env: MATRIX_TOKEN"

    /// (entry, line, key path, fragment of the reason)
    static let refused: [(String, Int, String, String)] = [
        ("- platform: matrix\n  user_id: \"@s:m.org\"\n  access_token_env: MATRIX_TOKEN", 1, "chat[0].homeserver", "'homeserver' is required"),
        ("- platform: matrix\n  homeserver: matrix.org\n  user_id: \"@s:m.org\"\n  access_token_env: MATRIX_TOKEN", 2, "chat[0].homeserver", "not an absolute"),
        ("- platform: matrix\n  homeserver: https://m.org\n  access_token_env: MATRIX_TOKEN", 1, "chat[0].user_id", "'user_id' is required"),
        ("- platform: matrix\n  homeserver: https://m.org\n  user_id: steward\n  access_token_env: MATRIX_TOKEN", 3, "chat[0].user_id", "not a Matrix user id"),
        ("- platform: matrix\n  homeserver: https://m.org\n  user_id: \"@s:\"\n  access_token_env: MATRIX_TOKEN", 3, "chat[0].user_id", "not a Matrix user id"),
        ("- platform: matrix\n  homeserver: https://m.org\n  user_id: \"@s:m.org\"", 1, "chat[0].access_token", "'access_token_file' or 'access_token_env' is required"),
        ("- platform: matrix\n  homeserver: https://m.org\n  user_id: \"@s:m.org\"\n  access_token: syt_inline", 4, "chat[0].access_token", "secrets are not written in the config file"),
        ("- platform: matrix\n  homeserver: https://m.org\n  user_id: \"@s:m.org\"\n  access_token_env: UNSET", 4, "chat[0].access_token_env", "UNSET is not set or empty"),
        (base + "\n  rooms: [\"#ops:m.org\"]", 5, "chat[0].rooms", "that is an alias: give the room id"),
        (base + "\n  rooms: [\"ops\"]", 5, "chat[0].rooms", "'ops' is not a room id"),
        (base + "\n  rooms: [\"!a\"]\n  join_on_invite: true", 6, "chat[0].join_on_invite", "drop 'rooms' to accept every invite"),
        (base + "\n  join_on_invite: sometimes", 5, "chat[0].join_on_invite", "expected true or false"),
        (base + "\n  sync_timeout: 10m", 5, "chat[0].sync_timeout", "at most"),
        (base + "\n  room: [\"!a\"]", 5, "chat[0].room", "unknown key for a matrix connection"),
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

    @Test func invitesAreAcceptedForListedRoomsOrAllWithJoinOnInvite() throws {
        let listed = try #require(try Self.connections(Self.base + "\n  rooms: [\"!a\"]").first as? MatrixConnection)
        #expect(listed.acceptsInvite(to: "!a") && !listed.acceptsInvite(to: "!b"))
        let open = try #require(try Self.connections(Self.base + "\n  join_on_invite: true").first as? MatrixConnection)
        #expect(open.acceptsInvite(to: "!b"))
    }
}
