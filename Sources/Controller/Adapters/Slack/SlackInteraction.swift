import Foundation

/// An interactive `block_actions` payload: someone pressed one of our buttons.
///
/// It arrives over Socket Mode (`type: interactive`) or, with the Events API, as a signed form POST whose
/// `payload` field holds this JSON. Only our own buttons' approve/deny commands are taken; they then run as the
/// person who pressed, exactly as if typed, so policy (and the no-self-approval rule) applies unchanged.
struct SlackInteraction: Decodable, Sendable {
    var type: String
    var user: User?
    var channel: Channel?
    var container: Container?
    var actions: [Action]?

    struct User: Decodable, Sendable {
        var id: String
        var username: String?
    }

    struct Channel: Decodable, Sendable {
        var id: String
    }

    struct Container: Decodable, Sendable {
        var messageTS: String?
        var threadTS: String?

        enum CodingKeys: String, CodingKey {
            case messageTS = "message_ts"
            case threadTS = "thread_ts"
        }
    }

    struct Action: Decodable, Sendable {
        var actionID: String
        var value: String?
        var actionTS: String?

        enum CodingKeys: String, CodingKey {
            case value
            case actionID = "action_id"
            case actionTS = "action_ts"
        }
    }

    /// The command the pressed button stands for, as a chat message from the presser; nil for anything else.
    var chatMessage: ChatMessage? {
        guard type == "block_actions", let user, !user.id.isEmpty, let channel, !channel.id.isEmpty,
              let action = actions?.first, action.actionID.hasPrefix(SlackBlocks.actionPrefix),
              let command = action.value, Self.isOffered(command), let actionTS = action.actionTS, !actionTS.isEmpty
        else { return nil }
        return ChatMessage(
            platform: "slack", room: channel.id, thread: container?.threadTS ?? container?.messageTS, userID: user.id,
            displayName: user.username ?? user.id, text: command, eventID: "action:\(channel.id):\(actionTS)")
    }

    /// Buttons only ever carry `approve ID` or `deny ID`.
    static func isOffered(_ command: String) -> Bool {
        let words = command.split(separator: " ")
        return words.count == 2 && (words[0] == "approve" || words[0] == "deny") && words[1].count <= 64
    }
}
