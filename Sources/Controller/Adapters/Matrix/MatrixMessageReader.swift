/// Turns the timeline events of a `/sync` answer into the chat messages addressed to the bot (a pure function).
///
/// Taken: `m.text` messages from other people that mention the bot (`steward: ...`, `@steward ...`, its user id,
/// its display name), start with the prefix, or are in a direct chat. Skipped: the bot's own events (its replies
/// and edits would loop), edits (`m.replace`: the original already ran), notices (other bots), emotes, media,
/// bodies over ``maxBodyBytes``, events older than `maxAge`, and anything before the bot's own join in the same
/// batch (history a newly joined room shows is not a command to us).
public struct MatrixMessageReader: Sendable {
    /// Longest body read as a command; commands are a line, not a document.
    public static let maxBodyBytes = 4096

    public var bot: MatrixBotIdentity
    /// Rooms the bot listens in; empty means every joined room.
    public var rooms: Set<String>
    public var directRooms: Set<String>
    /// Events the homeserver received longer ago than this are not run (a backlog after downtime is stale).
    public var maxAge: Duration?

    public init(bot: MatrixBotIdentity, rooms: Set<String> = [], directRooms: Set<String> = [], maxAge: Duration? = nil) {
        self.bot = bot
        self.rooms = rooms
        self.directRooms = directRooms
        self.maxAge = maxAge
    }

    /// The addressed messages of a sync answer, room by room, oldest first.
    public func messages(in response: MatrixSyncResponse) -> [ChatMessage] {
        response.joined.filter { rooms.isEmpty || rooms.contains($0.roomID) }.flatMap { room in
            var messages: [ChatMessage] = []
            for event in room.events {
                if isOwnJoin(event) {
                    messages.removeAll()
                } else if let message = message(from: event, room: room.roomID) {
                    messages.append(message)
                }
            }
            return messages
        }
    }

    /// The message for the engine, or nil when `event` is not a person addressing the bot.
    public func message(from event: MatrixEvent, room: String) -> ChatMessage? {
        guard event.type == "m.room.message", event.content.msgtype == "m.text",
              let sender = event.sender, !sender.isEmpty, sender != bot.userID,
              let eventID = event.eventID, !eventID.isEmpty, eventID.utf8.count <= 255,
              event.content.relationType != "m.replace",
              let body = event.content.body, !body.isEmpty, body.utf8.count <= Self.maxBodyBytes
        else { return nil }
        if let maxAge, let age = event.age, Duration.milliseconds(age) > maxAge { return nil }
        let isDirect = directRooms.contains(room)
        let text = event.content.inReplyTo == nil ? body : Self.strippingReplyFallback(body)
        guard !addressesSomeoneElse(text) else { return nil }
        guard let command = ChatAddressing.extract(
            text: text, botNames: bot.names, mentionForms: bot.mentionForms, prefix: bot.prefix, isDirectMessage: isDirect)
        else { return nil }
        let thread = event.content.relationType == "m.thread" ? event.content.relatedEventID : nil
        return ChatMessage(
            platform: "matrix", room: room, thread: thread, userID: sender, displayName: sender, text: command,
            eventID: eventID, isDirect: isDirect)
    }

    /// True when the message starts with another user's full id (`@steward:other.org`), which the bare name
    /// `@steward` would otherwise match.
    func addressesSomeoneElse(_ text: String) -> Bool {
        guard let word = text.split(whereSeparator: \.isWhitespace).first, word.hasPrefix("@") else { return false }
        let id = word.last == ":" || word.last == "," ? word.dropLast() : word
        guard let colon = id.firstIndex(of: ":"), id.index(after: colon) < id.endIndex else { return false }
        return id != bot.userID
    }

    /// The bot's own join (not a profile change, which is also a `join` membership event).
    func isOwnJoin(_ event: MatrixEvent) -> Bool {
        event.type == "m.room.member" && event.stateKey == bot.userID && event.content.membership == "join"
            && event.previousMembership != "join"
    }

    /// Drops the quoted `> ...` lines (and the blank line after them) that older clients put before a reply.
    static func strippingReplyFallback(_ body: String) -> String {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.hasPrefix(">") == true else { return body }
        let rest = lines.drop { $0.hasPrefix(">") }
        return rest.drop { $0.isEmpty }.joined(separator: "\n")
    }
}
