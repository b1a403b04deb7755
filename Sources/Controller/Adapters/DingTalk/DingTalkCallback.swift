import Foundation

/// A message DingTalk POSTs to a robot's HTTP callback (`msgtype: text`).
struct DingTalkCallback: Decodable, Sendable {
    var msgtype: String
    var msgId: String
    var conversationId: String
    /// `1` a one-to-one chat, `2` a group.
    var conversationType: String?
    /// The enterprise-internal user id (stable); `senderId` is the fallback.
    var senderStaffId: String?
    var senderId: String?
    var senderNick: String?
    var text: Text?
    /// Where to reply, valid until `sessionWebhookExpiredTime` (ms).
    var sessionWebhook: String?
    var sessionWebhookExpiredTime: Int64?

    struct Text: Decodable, Sendable {
        var content: String
    }

    static func parse(_ body: [UInt8]) -> DingTalkCallback? {
        try? JSONDecoder().decode(DingTalkCallback.self, from: Data(body))
    }

    /// The command, addressed to the bot by DingTalk itself (robots only receive messages that @-mention them
    /// in groups, and every message in one-to-one chats), so the whole text is the command.
    func chatMessage() -> ChatMessage? {
        guard msgtype == "text", let content = text?.content, !msgId.isEmpty, msgId.utf8.count <= 128,
              !conversationId.isEmpty, let user = senderStaffId.flatMap({ $0.isEmpty ? nil : $0 }) ?? senderId, !user.isEmpty
        else { return nil }
        return ChatMessage(
            platform: "dingtalk", room: conversationId, userID: user, displayName: senderNick ?? user,
            text: content.trimmingCharacters(in: .whitespacesAndNewlines), eventID: msgId, isDirect: conversationType == "1")
    }
}
