import Foundation

extension FeishuMessageEvent {
    /// What a received message means for the bot.
    enum Disposition: Sendable, Equatable {
        case command(ChatMessage)
        /// Not for the bot (not text, from a bot, not addressed), with why, for debug logs.
        case ignored(String)
        /// A group message that may mention the bot, before the bot knows its own `open_id`.
        case needsBotIdentity
    }

    /// Longest ids accepted; Feishu's are around 40 characters.
    static let maxIDLength = 128

    /// The command in this message: text only, never from a bot; in groups only when the bot is mentioned
    /// first (a mention later in a sentence does not address it), in one-to-one chats any text. The
    /// `@_user_N` placeholders are removed. Identity is the sender's `open_id`, immutable per app.
    ///
    /// - Parameters:
    ///   - platform: `feishu` or `lark`, the prefix of identities in policy files.
    ///   - eventID: `header.event_id`, the same in every redelivery of the event.
    ///   - botOpenID: the bot's own `open_id` (`GET /open-apis/bot/v3/info`), nil until known.
    func disposition(platform: String, eventID: String, botOpenID: String?) -> Disposition {
        guard let message, message.messageType == "text" else { return .ignored("not a text message") }
        guard sender?.senderType != "app" else { return .ignored("sent by a bot") }
        guard let userID = sender?.senderID?.openID, Self.isID(userID), let messageID = message.messageID, Self.isID(messageID),
              let chatID = message.chatID, Self.isID(chatID), Self.isID(eventID)
        else { return .ignored("a message without usable ids") }
        guard userID != botOpenID else { return .ignored("sent by this bot") }
        guard let text = Self.text(of: message.content) else { return .ignored("text content that is not {\"text\": ...}") }
        let isDirect = message.chatType == "p2p"
        let mentions = message.mentions ?? []
        var botKeys: [String] = []
        if !isDirect {
            guard let botOpenID else { return .needsBotIdentity }
            botKeys = mentions.filter { $0.id?.openID == botOpenID }.compactMap(\.key).filter { !$0.isEmpty }
            guard !botKeys.isEmpty else { return .ignored("a group message that does not mention the bot") }
        }
        guard var command = ChatAddressing.extract(
            text: text, botNames: [], mentionForms: botKeys, prefix: "", isDirectMessage: isDirect)
        else { return .ignored("the bot is mentioned, but not first") }
        // Longest first, so `@_user_1` does not eat the start of `@_user_10`.
        for key in mentions.compactMap(\.key).filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count }) {
            command = command.replacingOccurrences(of: key, with: "")
        }
        command = command.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !command.isEmpty || !botKeys.isEmpty else { return .ignored("an empty message") }
        return .command(ChatMessage(
            platform: platform, room: chatID, thread: messageID, userID: userID, displayName: userID, text: command,
            eventID: eventID, isDirect: isDirect))
    }

    static func isID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maxIDLength && id.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7f }
    }

    /// The `text` of a text message's content, a JSON string of its own.
    static func text(of content: String?) -> String? {
        guard let content, content.utf8.count <= 64 * 1024,
              let object = try? JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any]
        else { return nil }
        return object["text"] as? String
    }
}
