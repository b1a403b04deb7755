extension MatrixConnection {
    /// A `platform: matrix` entry of `controller.yaml`, checked.
    public struct Settings: Sendable {
        public var name: String
        /// `https://matrix.example.org` (no trailing `/`).
        public var homeserver: String
        /// The bot's full user id; the access token must belong to it.
        public var userID: String
        public var accessToken: String
        /// Room ids the bot listens in and accepts invites to; empty: every joined room.
        public var rooms: [String]
        /// Accept every invite (only without `rooms`).
        public var joinOnInvite: Bool
        /// Extra names people address the bot by (its localpart and display name always count).
        public var names: [String]
        public var prefix: String
        /// How long one `/sync` long-poll waits for news.
        public var syncTimeout: Duration
        /// Messages older than this when they reach the bot (after downtime) are not run.
        public var maxEventAge: Duration
        /// The connection's private directory (sync position).
        public var stateDirectory: String
    }

    /// Reads a `platform: matrix` entry.
    public static func settings(_ entry: ChatConnectionSettings, stateDirectory: String) throws(ChatSettingsError) -> Settings {
        let homeserver = try entry.url("homeserver")
        let userID = try entry.string("user_id")
        guard Self.isUserID(userID) else {
            throw entry.error(.invalidValue, "user_id", "'\(userID)' is not a Matrix user id such as @steward:example.org")
        }
        let rooms = try entry.strings("rooms")
        for room in rooms where !Self.isRoomID(room) {
            let hint = room.hasPrefix("#") ? "; that is an alias: give the room id (!...), shown in the room's advanced settings" : ""
            throw entry.error(.invalidValue, "rooms", "'\(room)' is not a room id (!...)\(hint)")
        }
        let joinOnInvite = try entry.bool("join_on_invite", default: false)
        if joinOnInvite, !rooms.isEmpty {
            throw entry.error(.invalidValue, "join_on_invite",
                              "with 'rooms' the bot joins only the listed rooms; drop 'rooms' to accept every invite")
        }
        let settings = Settings(
            name: entry.name,
            homeserver: homeserver.hasSuffix("/") ? String(homeserver.dropLast()) : homeserver,
            userID: userID, accessToken: try entry.secret("access_token"), rooms: rooms, joinOnInvite: joinOnInvite,
            names: try entry.strings("names"), prefix: try entry.string("prefix", default: "!"),
            syncTimeout: try entry.duration("sync_timeout", default: .seconds(30), max: .seconds(120)),
            maxEventAge: try entry.duration("max_event_age", default: .seconds(600)),
            stateDirectory: stateDirectory)
        try entry.finish()
        return settings
    }

    /// `@localpart:server`, without whitespace, at most 255 bytes.
    static func isUserID(_ text: String) -> Bool {
        guard text.hasPrefix("@"), text.utf8.count <= 255, !text.contains(where: { $0.isWhitespace || $0.isNewline }),
              let colon = text.firstIndex(of: ":")
        else { return false }
        return colon > text.index(after: text.startIndex) && text.index(after: colon) < text.endIndex
    }

    /// `!opaque` or `!opaque:server`: never parsed further (room version 12 ids have no server part).
    static func isRoomID(_ text: String) -> Bool {
        text.hasPrefix("!") && text.count > 1 && text.utf8.count <= 255
            && !text.contains(where: { $0.isWhitespace || $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true })
    }

    /// Whether the bot accepts an invite to `room`.
    func acceptsInvite(to room: String) -> Bool {
        settings.joinOnInvite || settings.rooms.contains(room)
    }
}

/// Never the access token: settings end up in logs and in test failure output.
extension MatrixConnection.Settings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "MatrixConnection.Settings(name: \(name), homeserver: \(homeserver), user_id: \(userID), rooms: \(rooms))"
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "homeserver": homeserver, "userID": userID, "rooms": rooms])
    }
}
