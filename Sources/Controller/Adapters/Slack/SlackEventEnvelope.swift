import Foundation

/// The outer JSON of an Events API request: `url_verification` or an `event_callback` wrapping one event.
struct SlackEventEnvelope: Decodable, Sendable {
    var type: String
    var challenge: String?
    var eventID: String?
    var teamID: String?
    var event: SlackEvent?

    enum CodingKeys: String, CodingKey {
        case type, challenge, event
        case eventID = "event_id"
        case teamID = "team_id"
    }

    /// Parses the verified body; a body that is not an envelope is a ``SlackError/Code/malformedPayload``.
    static func parse(_ body: [UInt8]) throws -> SlackEventEnvelope {
        do {
            return try JSONDecoder().decode(SlackEventEnvelope.self, from: Data(body))
        } catch {
            throw SlackError(.malformedPayload, "the body is not a Slack Events API envelope")
        }
    }
}

/// The inner event: only the fields a `message` or `app_mention` needs.
struct SlackEvent: Decodable, Sendable {
    var type: String
    var subtype: String?
    var user: String?
    var botID: String?
    var text: String?
    var ts: String?
    var threadTS: String?
    var channel: String?
    var channelType: String?

    enum CodingKeys: String, CodingKey {
        case type, subtype, user, text, ts, channel
        case botID = "bot_id"
        case threadTS = "thread_ts"
        case channelType = "channel_type"
    }
}

/// Who the bot is on Slack and how people address it there.
public struct SlackBotIdentity: Sendable, Hashable {
    /// The bot user's id (`U0LAN0Z89`), from `auth.test` or the app settings.
    public var userID: String
    /// Names people type (`steward` for `@steward`, `steward:`).
    public var names: [String]
    /// The command prefix (`!`); empty disables it.
    public var prefix: String

    public init(userID: String, names: [String] = ["steward"], prefix: String = "!") {
        self.userID = userID
        self.names = names
        self.prefix = prefix
    }

    /// Slack's mention markup for the bot.
    public var mentionForm: String { "<@\(userID)>" }
}

extension SlackEventEnvelope {
    /// The message for the chat engine, or nil when the event is not a person addressing the bot.
    func chatMessage(bot: SlackBotIdentity) -> ChatMessage? {
        guard type == "event_callback", let event, let eventID, !eventID.isEmpty else { return nil }
        guard event.type == "message" || event.type == "app_mention" else { return nil }
        // Edits, deletions, joins and bot posts (ours included) are not commands; answering them loops or repeats.
        guard event.subtype == nil, event.botID == nil else { return nil }
        guard let user = event.user, !user.isEmpty, user != bot.userID,
              let channel = event.channel, !channel.isEmpty, let ts = event.ts, !ts.isEmpty, let text = event.text
        else { return nil }
        let isDirect = event.channelType == "im"
        let mentions = [bot.mentionForm]
        // A channel message that starts with the mention also arrives as `app_mention` under another event id;
        // taking it from one event type only keeps it from running twice.
        if event.type == "message", !isDirect,
           ChatAddressing.extract(text: text, botNames: [], mentionForms: mentions, prefix: "", isDirectMessage: false) != nil {
            return nil
        }
        guard let command = ChatAddressing.extract(
            text: text, botNames: bot.names, mentionForms: mentions, prefix: bot.prefix, isDirectMessage: isDirect)
        else { return nil }
        return ChatMessage(
            platform: "slack", room: channel, thread: event.threadTS ?? ts, userID: user, displayName: user,
            text: Self.unescaped(command), eventID: eventID, isDirect: isDirect)
    }

    /// Slack sends `&`, `<` and `>` typed by people as entities; commands need the characters back.
    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
