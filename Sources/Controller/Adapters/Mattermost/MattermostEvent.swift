import Foundation

/// One WebSocket event: `hello`, `posted` (a new post), and others we ignore.
struct MattermostEvent: Decodable, Sendable {
    var event: String?
    var data: EventData?
    var seq: Int?

    struct EventData: Decodable, Sendable {
        /// The post, as a JSON string inside the JSON event.
        var post: String?
        /// `O` open, `P` private, `D` direct, `G` group.
        var channelType: String?
        var senderName: String?
        /// In `hello`: the connection's id, for resuming it after a reconnect.
        var connectionID: String?

        enum CodingKeys: String, CodingKey {
            case post
            case channelType = "channel_type"
            case senderName = "sender_name"
            case connectionID = "connection_id"
        }
    }

    struct Post: Decodable, Sendable {
        var id: String
        var userID: String
        var channelID: String
        var rootID: String?
        var message: String
        /// Empty for a user's post; `system_join_channel` and the like for system messages.
        var type: String?
        var props: Props?

        struct Props: Decodable, Sendable {
            /// Set on posts made by webhooks and bots acting as someone else.
            var fromWebhook: String?
            var fromBot: String?

            enum CodingKeys: String, CodingKey {
                case fromWebhook = "from_webhook"
                case fromBot = "from_bot"
            }
        }

        enum CodingKeys: String, CodingKey {
            case id, message, type, props
            case userID = "user_id"
            case channelID = "channel_id"
            case rootID = "root_id"
        }
    }

    static func parse(_ text: String) -> MattermostEvent? {
        try? JSONDecoder().decode(MattermostEvent.self, from: Data(text.utf8))
    }

    /// The command in a `posted` event, or nil when it is not for the bot (its own posts, system and
    /// webhook posts, messages that do not address it outside a direct channel).
    func chatMessage(botID: String, botUsername: String, names: [String], prefix: String) -> ChatMessage? {
        guard event == "posted", let data, let text = data.post,
              let post = try? JSONDecoder().decode(Post.self, from: Data(text.utf8)),
              !post.id.isEmpty, !post.userID.isEmpty, !post.channelID.isEmpty,
              post.userID != botID, post.type?.isEmpty ?? true,
              post.props?.fromWebhook != "true", post.props?.fromBot != "true"
        else { return nil }
        let isDirect = data.channelType == "D"
        guard let command = ChatAddressing.extract(
            text: post.message, botNames: names + [botUsername], mentionForms: [], prefix: prefix,
            isDirectMessage: isDirect)
        else { return nil }
        let sender = data.senderName.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 } ?? post.userID
        return ChatMessage(
            platform: "mattermost", room: post.channelID, thread: post.rootID.flatMap { $0.isEmpty ? nil : $0 } ?? post.id,
            userID: post.userID, displayName: sender, text: command, eventID: post.id, isDirect: isDirect)
    }
}
