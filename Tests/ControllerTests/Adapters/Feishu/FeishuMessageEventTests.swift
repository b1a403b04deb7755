import Foundation
import Testing
@testable import StewardController

/// Which received messages are commands: documented `im.message.receive_v1` payloads, addressed or not.
@Suite("Feishu received messages")
struct FeishuMessageEventTests {
    static let user = "ou_84aad35d084aa403a838cf73ee18467"
    static let bot = FakeFeishu.botOpenID

    /// A v2 `im.message.receive_v1` body as Feishu documents it.
    static func event(
        eventID: String = "ev_0001", messageID: String = "om_0001", chatType: String = "group", text: String = "@_user_1 ping all",
        messageType: String = "text", senderType: String = "user", sender: String = user,
        mentions: [(key: String, openID: String, name: String)] = [("@_user_1", bot, "Steward")], token: String = "steward-verification-token"
    ) -> String {
        let quoted = jsonString(jsonString(text).map { #"{"text":\#($0)}"# } ?? "") ?? #""""#
        let mentionJSON = mentions.map {
            #"{"key":"\#($0.key)","id":{"union_id":"on_x","user_id":"","open_id":"\#($0.openID)"},"name":"\#($0.name)","tenant_key":"2ca1d211f64f6438"}"#
        }.joined(separator: ",")
        return #"""
            {"schema":"2.0","header":{"event_id":"\#(eventID)","event_type":"im.message.receive_v1","create_time":"1700000000000","token":"\#(token)","app_id":"cli_a1b2c3d4e5f6a7b8","tenant_key":"2ca1d211f64f6438"},"event":{"sender":{"sender_id":{"union_id":"on_8ed6aa67826108097d9ee143816345","user_id":"e33ggbyz","open_id":"\#(sender)"},"sender_type":"\#(senderType)","tenant_key":"2ca1d211f64f6438"},"message":{"message_id":"\#(messageID)","root_id":"","parent_id":"","create_time":"1700000000000","chat_id":"oc_groupchat0001","chat_type":"\#(chatType)","message_type":"\#(messageType)","content":\#(quoted),"mentions":[\#(mentionJSON)]}}}
            """#
    }

    /// `text` as a JSON string literal, quotes included.
    static func jsonString(_ text: String) -> String? {
        (try? JSONEncoder().encode([text])).map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) }
    }

    static func disposition(_ body: String, bot: String? = bot, platform: String = "feishu") throws -> FeishuMessageEvent.Disposition {
        let envelope = try FeishuEventEnvelope.parse(Array(body.utf8))
        let message = try #require(envelope.message)
        return message.disposition(platform: platform, eventID: envelope.header?.eventID ?? "", botOpenID: bot)
    }

    static func command(_ body: String, platform: String = "feishu") throws -> ChatMessage? {
        if case .command(let message) = try disposition(body, platform: platform) { return message }
        return nil
    }

    @Test func aGroupMentionIsACommandFromTheSendersOpenID() throws {
        let message = try #require(try Self.command(Self.event()))
        #expect(message == ChatMessage(
            platform: "feishu", room: "oc_groupchat0001", thread: "om_0001", userID: Self.user, displayName: Self.user,
            text: "ping all", eventID: "ev_0001", isDirect: false))
        #expect(message.actor == "feishu:\(Self.user)")
        #expect(try Self.command(Self.event(), platform: "lark")?.actor == "lark:\(Self.user)")
    }

    @Test func placeholdersAreStrippedLongestFirst() throws {
        let mentions = [("@_user_1", Self.bot, "Steward"), ("@_user_10", "ou_other", "Li Lei")]
        let message = try #require(try Self.command(Self.event(text: "@_user_1 ping web-01 @_user_10", mentions: mentions)))
        #expect(message.text == "ping web-01")
    }

    @Test func anythingInAOneToOneChatIsACommand() throws {
        let message = try #require(try Self.command(Self.event(chatType: "p2p", text: "metrics web-01", mentions: [])))
        #expect(message.text == "metrics web-01")
        #expect(message.isDirect)
        // The bot's identity is not needed in one-to-one chats.
        #expect(try Self.disposition(Self.event(chatType: "p2p", text: "help", mentions: []), bot: nil) == .command(ChatMessage(
            platform: "feishu", room: "oc_groupchat0001", thread: "om_0001", userID: Self.user, displayName: Self.user,
            text: "help", eventID: "ev_0001", isDirect: true)))
    }

    @Test func messagesNotForTheBotAreIgnored() throws {
        let ignored: [(String, String)] = [
            ("no mention", Self.event(text: "ping all", mentions: [])),
            ("someone else mentioned", Self.event(mentions: [("@_user_1", "ou_other", "Li Lei")])),
            ("mentioned later in a sentence", Self.event(text: "ask @_user_1 later")),
            ("an image", Self.event(messageType: "image")),
            ("from a bot", Self.event(senderType: "app")),
            ("from this bot", Self.event(sender: Self.bot)),
            ("an id with spaces", Self.event(messageID: "om 1")),
            ("no event id", Self.event(eventID: "")),
        ]
        for (name, body) in ignored {
            guard case .ignored = try Self.disposition(body) else {
                Issue.record("\(name) was not ignored")
                continue
            }
        }
    }

    @Test func aGroupMessageWaitsForTheBotsIdentity() throws {
        #expect(try Self.disposition(Self.event(), bot: nil) == .needsBotIdentity)
    }

    @Test func otherEventTypesCarryNoMessage() throws {
        let body = #"{"schema":"2.0","header":{"event_id":"ev_9","event_type":"im.chat.member.bot.added_v1","token":"t"},"event":{"chat_id":"oc_1","operator_id":[1,2]}}"#
        let envelope = try FeishuEventEnvelope.parse(Array(body.utf8))
        #expect(envelope.message == nil)
        #expect(envelope.verificationToken == "t")
        #expect(throws: FeishuError.self) { try FeishuEventEnvelope.parse(Array("[1]".utf8)) }
    }
}
