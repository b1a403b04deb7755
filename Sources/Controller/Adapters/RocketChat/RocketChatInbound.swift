/// Decides what a streamed message is to the bot: skipped (and why), or a command for the engine.
///
/// Mirrors the Mattermost adapter: the bot's own messages, system messages, edits and messages from integrations
/// are skipped; in a channel a message must address the bot (`@steward cmd`, `steward: cmd`, `!cmd`); in a direct
/// room every message is a command. Identity is `rocketchat:<u._id>`, never the username.
struct RocketChatInbound: Sendable {
    /// Why a message is not run.
    enum Skip: Sendable, Hashable {
        case ownMessage
        case systemMessage(String)
        case edited
        case fromIntegration
        case outsideListedRooms
        case duplicate
        /// Hostile or broken input: worth a warning.
        case malformed(String)
    }

    static let maxCommandCharacters = 10_000

    let bot: RocketChatClient.Me
    let names: [String]
    let prefix: String
    /// Rooms the bot answers in besides direct rooms; empty: every room it is in.
    let rooms: Set<String>
    private(set) var recent = RocketChatRecentIDs(capacity: 4096)

    init(bot: RocketChatClient.Me, names: [String], prefix: String, rooms: [String]) {
        self.bot = bot
        self.names = names
        self.prefix = prefix
        self.rooms = Set(rooms)
    }

    /// The checks that need no room lookup; nil when the message may be a command.
    func screen(_ message: RocketChatMessage) -> Skip? {
        guard RocketChatText.isID(message.id) else { return .malformed("a message id that is not a Rocket.Chat id") }
        guard RocketChatText.isID(message.roomID) else { return .malformed("a room id that is not a Rocket.Chat id") }
        guard RocketChatText.isID(message.user.id) else { return .malformed("a user id that is not a Rocket.Chat id") }
        if let thread = message.threadID, !RocketChatText.isID(thread) { return .malformed("a thread id that is not a Rocket.Chat id") }
        guard message.text.count <= Self.maxCommandCharacters else {
            return .malformed("a message of \(message.text.count) characters, longer than any command")
        }
        if message.user.id == bot.id { return .ownMessage }
        if let type = message.systemType { return .systemMessage(RocketChatText.shown(type)) }
        if message.isEdited { return .edited }
        if message.isFromBot { return .fromIntegration }
        if recent.contains(message.id) { return .duplicate }
        return nil
    }

    /// Whether the room filter lets a message through (direct rooms always do).
    func allows(roomID: String, isDirect: Bool) -> Bool {
        rooms.isEmpty || isDirect || rooms.contains(roomID)
    }

    /// The command in a screened message, or nil when it does not address the bot.
    func command(_ message: RocketChatMessage, isDirect: Bool) -> ChatMessage? {
        // `@steward` is matched as a name (with a word boundary), not as a literal mention form, which would also
        // match `@stewardess`.
        guard let command = ChatAddressing.extract(
            text: message.text, botNames: names + [bot.username], mentionForms: [], prefix: prefix, isDirectMessage: isDirect)
        else { return nil }
        return ChatMessage(
            platform: "rocketchat", room: message.roomID, thread: message.threadID ?? message.id, userID: message.user.id,
            displayName: message.user.username.map(RocketChatText.shown) ?? message.user.id, text: command, eventID: message.id,
            isDirect: isDirect)
    }

    /// Records a message handed to the engine.
    mutating func handed(_ message: RocketChatMessage) {
        recent.insert(message.id)
    }
}
