import Foundation

/// A body Feishu POSTs to the request URL, once decrypted: a v1 `url_verification`
/// (`{"challenge","token","type"}`) or a v2 event (`{"schema":"2.0","header":{...},"event":{...}}`).
struct FeishuEventEnvelope: Decodable, Sendable {
    /// The encrypted form, `{"encrypt": "<base64>"}`, before decryption.
    var encrypt: String?
    var type: String?
    var challenge: String?
    /// The verification token of a v1 body.
    var token: String?
    var schema: String?
    var header: Header?
    /// Only `im.message.receive_v1` events are read; any other event's body is left alone.
    var message: FeishuMessageEvent?

    struct Header: Decodable, Sendable {
        var eventID: String?
        var eventType: String?
        var createTime: String?
        var token: String?
        var appID: String?
        var tenantKey: String?

        enum CodingKeys: String, CodingKey {
            case eventID = "event_id", eventType = "event_type", createTime = "create_time", token
            case appID = "app_id", tenantKey = "tenant_key"
        }
    }

    enum CodingKeys: String, CodingKey {
        case encrypt, type, challenge, token, schema, header, event
    }

    static let messageReceived = "im.message.receive_v1"

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        encrypt = try container.decodeIfPresent(String.self, forKey: .encrypt)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        challenge = try container.decodeIfPresent(String.self, forKey: .challenge)
        token = try container.decodeIfPresent(String.self, forKey: .token)
        schema = try container.decodeIfPresent(String.self, forKey: .schema)
        header = try container.decodeIfPresent(Header.self, forKey: .header)
        message = header?.eventType == Self.messageReceived
            ? try container.decodeIfPresent(FeishuMessageEvent.self, forKey: .event) : nil
    }

    static func parse(_ bytes: [UInt8]) throws(FeishuError) -> FeishuEventEnvelope {
        do {
            return try JSONDecoder().decode(FeishuEventEnvelope.self, from: Data(bytes))
        } catch {
            throw FeishuError(.malformedPayload, "the body is not a Feishu event")
        }
    }

    /// The verification token the body carries (v1 `token`, v2 `header.token`).
    var verificationToken: String? { header?.token ?? token }
}

/// The `event` of `im.message.receive_v1`.
struct FeishuMessageEvent: Decodable, Sendable {
    var sender: Sender?
    var message: Message?

    struct Sender: Decodable, Sendable {
        var senderID: UserIDs?
        /// `user`, or `app` for bots (ourselves included).
        var senderType: String?

        enum CodingKeys: String, CodingKey {
            case senderID = "sender_id", senderType = "sender_type"
        }
    }

    struct UserIDs: Decodable, Sendable {
        /// Per-app, immutable: the identity policy trusts.
        var openID: String?
        var userID: String?
        var unionID: String?

        enum CodingKeys: String, CodingKey {
            case openID = "open_id", userID = "user_id", unionID = "union_id"
        }
    }

    struct Message: Decodable, Sendable {
        var messageID: String?
        var rootID: String?
        var parentID: String?
        var chatID: String?
        /// `p2p` or `group`.
        var chatType: String?
        var messageType: String?
        /// A JSON string: `{"text":"@_user_1 ping all"}` for text.
        var content: String?
        var mentions: [Mention]?

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id", rootID = "root_id", parentID = "parent_id", chatID = "chat_id"
            case chatType = "chat_type", messageType = "message_type", content, mentions
        }
    }

    /// One `@` in the text, which Feishu writes as the placeholder `key` (`@_user_1`).
    struct Mention: Decodable, Sendable {
        var key: String?
        var id: UserIDs?
        var name: String?
    }
}
