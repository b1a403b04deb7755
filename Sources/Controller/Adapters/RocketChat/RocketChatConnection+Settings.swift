import Foundation

extension RocketChatConnection {
    /// A `platform: rocketchat` entry of `controller.yaml`, checked.
    public struct Settings: Sendable {
        public var name: String
        /// `https://chat.example.com` (no trailing `/`).
        public var serverURL: String
        /// The bot account's user id (`X-User-Id`); the token must belong to it.
        public var userID: String
        /// A personal access token of the bot account.
        public var token: String
        /// Extra names people address the bot by (its username always counts).
        public var names: [String]
        public var prefix: String
        /// Room ids the bot answers in besides direct rooms; empty: every room it is a member of.
        public var rooms: [String]
        /// The server's `Message_MaxAllowedSize`: longer replies are cut, saying so.
        public var maxMessageLength: Int

        public init(
            name: String, serverURL: String, userID: String, token: String, names: [String] = [], prefix: String = "!",
            rooms: [String] = [], maxMessageLength: Int = RocketChatRendering.defaultMaxMessageLength
        ) {
            self.name = name
            self.serverURL = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
            self.userID = userID
            self.token = token
            self.names = names
            self.prefix = prefix
            self.rooms = rooms
            self.maxMessageLength = maxMessageLength
        }
    }

    /// Reads a `platform: rocketchat` entry.
    public static func settings(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> Settings {
        let server = try entry.url("server")
        let allowHTTP = try entry.bool("allow_insecure_http", default: false)
        if server.lowercased().hasPrefix("http://"), !allowHTTP, !Self.isLoopback(server) {
            throw entry.error(.invalidValue, "server", "'\(server)' would send the token unencrypted: use https://, "
                + "or set 'allow_insecure_http: true' for a server on a trusted network")
        }
        if URL(string: server)?.query != nil || server.contains("#") {
            throw entry.error(.invalidValue, "server", "'\(server)' must be the server's address, without a query or fragment")
        }
        let userID = try entry.string("user_id")
        guard RocketChatText.isID(userID) else {
            throw entry.error(.invalidValue, "user_id", "'\(userID)' is not a Rocket.Chat user id (such as aobEdbYhXfu5hkeqG, "
                + "shown with the personal access token)")
        }
        let rooms = try entry.strings("rooms")
        for room in rooms where !RocketChatText.isID(room) {
            let hint = room.hasPrefix("#") ? "; that is a room name: give the room id (GET /api/v1/rooms.info?roomName=...)" : ""
            throw entry.error(.invalidValue, "rooms", "'\(room)' is not a room id\(hint)")
        }
        let token = try entry.secret("token")
        guard token.utf8.count <= 1024, token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw entry.error(.invalidValue, entry.has("token_file") ? "token_file" : "token_env",
                              "the token has characters a personal access token never has (spaces, control or non-ASCII)")
        }
        let settings = Settings(
            name: entry.name, serverURL: server, userID: userID, token: token, names: try entry.strings("names"),
            prefix: try entry.string("prefix", default: "!"), rooms: rooms,
            maxMessageLength: try entry.int(
                "max_message_length", in: 500...1_000_000, default: RocketChatRendering.defaultMaxMessageLength))
        try entry.finish()
        return settings
    }

    /// `http://` to this machine sends nothing over the network.
    static func isLoopback(_ server: String) -> Bool {
        guard let host = URL(string: server)?.host?.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// Never the token: settings end up in logs and in test failure output.
extension RocketChatConnection.Settings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "RocketChatConnection.Settings(name: \(name), server: \(serverURL), user_id: \(userID), rooms: \(rooms))"
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "serverURL": serverURL, "userID": userID, "rooms": rooms])
    }
}
