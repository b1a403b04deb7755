/// One chat message as the Realtime API streams it (`stream-room-messages`, `args[0]`), reduced to what the bot reads.
///
/// ```json
/// {"_id": "Lx3Gk8EwG2Dx6oR9P", "rid": "GENERAL", "msg": "@steward ping all", "tmid": "...",
///  "u": {"_id": "aobEdbYhXfu5hkeqG", "username": "alice"}, "ts": {"$date": 1700000000000}}
/// ```
/// System messages carry a type `t` (`uj` user joined, `rm` removed, ...); edits carry `editedAt`; messages posted
/// by integrations and apps carry `bot`.
public struct RocketChatMessage: Sendable, Hashable, Decodable {
    /// The author (`u`).
    public struct User: Sendable, Hashable, Decodable {
        /// The immutable user id: the only identity policy trusts.
        public var id: String
        /// Can be renamed, so only shown, never trusted.
        public var username: String?

        enum CodingKeys: String, CodingKey {
            case id = "_id"
            case username
        }

        public init(id: String, username: String?) {
            self.id = id
            self.username = username
        }
    }

    public var id: String
    public var roomID: String
    public var text: String
    public var user: User
    /// The thread's root message, for a message written in a thread.
    public var threadID: String?
    /// A system message's type; nil for what a person wrote.
    public var systemType: String?
    public var isEdited: Bool
    /// Posted by an integration or app (`bot` field).
    public var isFromBot: Bool

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case roomID = "rid"
        case text = "msg"
        case user = "u"
        case threadID = "tmid"
        case systemType = "t"
        case editedAt, bot
    }

    public init(
        id: String, roomID: String, text: String, user: User, threadID: String? = nil, systemType: String? = nil,
        isEdited: Bool = false, isFromBot: Bool = false
    ) {
        self.id = id
        self.roomID = roomID
        self.text = text
        self.user = user
        self.threadID = threadID
        self.systemType = systemType
        self.isEdited = isEdited
        self.isFromBot = isFromBot
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        roomID = try container.decode(String.self, forKey: .roomID)
        // Attachments-only messages have no text.
        text = try container.decodeIfPresent(String.self, forKey: .text) ?? ""
        user = try container.decode(User.self, forKey: .user)
        threadID = try container.decodeIfPresent(String.self, forKey: .threadID).flatMap { $0.isEmpty ? nil : $0 }
        systemType = try container.decodeIfPresent(String.self, forKey: .systemType).flatMap { $0.isEmpty ? nil : $0 }
        isEdited = try Self.isSet(.editedAt, in: container)
        isFromBot = try Self.isSet(.bot, in: container)
    }

    /// Whether a field is present and not null, whatever its shape (`{"$date": ...}`, `{"i": ...}`).
    private static func isSet(_ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>) throws -> Bool {
        guard container.contains(key) else { return false }
        return try !container.decodeNil(forKey: key)
    }
}
