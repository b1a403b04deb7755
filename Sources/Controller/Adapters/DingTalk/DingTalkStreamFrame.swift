import Foundation

/// One frame DingTalk pushes over a Stream mode WebSocket, as its Stream SDKs document it:
/// `{"specVersion": "1.0", "type": "SYSTEM"|"EVENT"|"CALLBACK", "headers": {...}, "data": "<JSON text>"}`.
///
/// Parsing and deciding what to do are pure (see ``action()``), so the socket loop only carries actions out.
struct DingTalkStreamFrame: Decodable, Sendable {
    /// The robot's message topic (the only CALLBACK topic Steward subscribes to).
    static let robotTopic = "/v1.0/im/bot/messages/get"
    /// Message ids are short opaque strings; a long one is a fault, not an id.
    static let maxMessageIDBytes = 256

    var specVersion: String?
    var type: String
    var headers: Headers
    /// JSON text (not an object) for every frame type.
    var data: String?

    /// The header fields read; a value of an unexpected JSON type reads as absent rather than failing the frame.
    struct Headers: Decodable, Sendable {
        var messageID: String?
        var topic: String?
        var contentType: String?
        var time: String?

        enum CodingKeys: String, CodingKey {
            case topic, contentType, time
            case messageID = "messageId"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            messageID = try? container.decodeIfPresent(String.self, forKey: .messageID)
            topic = try? container.decodeIfPresent(String.self, forKey: .topic)
            contentType = try? container.decodeIfPresent(String.self, forKey: .contentType)
            time = try? container.decodeIfPresent(String.self, forKey: .time)
        }
    }

    /// Parses a text frame; anything but a typed frame with a message id is a ``DingTalkError/Code/malformedFrame``.
    static func parse(_ text: String) throws(DingTalkError) -> DingTalkStreamFrame {
        let frame: DingTalkStreamFrame
        do {
            frame = try JSONDecoder().decode(DingTalkStreamFrame.self, from: Data(text.utf8))
        } catch {
            throw DingTalkError(.malformedFrame, "not a Stream frame (JSON with type, headers and data)")
        }
        guard let id = frame.headers.messageID, !id.isEmpty, id.utf8.count <= maxMessageIDBytes else {
            throw DingTalkError(.malformedFrame, "a \(frame.type) frame without a usable headers.messageId")
        }
        return frame
    }

    /// What to do with the frame.
    enum Action: Sendable {
        /// Send this frame back (a ping answer, an acknowledgement) and nothing else.
        case reply(String)
        /// A robot message: hand it to the engine, then send `ack`.
        case deliver(DingTalkCallback, ack: String)
        /// DingTalk is about to close the connection: open a fresh one (a new ticket).
        case reconnect(reason: String)
        /// Not for us; log `reason`, and send `ack` when there is one so DingTalk does not redeliver it.
        case ignore(reason: String, ack: String?)
        /// A SYSTEM notice that needs nothing (`CONNECTED`, `REGISTERED`, `KEEPALIVE`).
        case skip(topic: String)
    }

    func action() -> Action {
        let id = headers.messageID ?? ""
        switch (type, headers.topic ?? "") {
        case ("SYSTEM", "ping"):
            return .reply(Self.ack(messageID: id, data: data ?? ""))
        case ("SYSTEM", "disconnect"):
            return .reconnect(reason: Self.reason(in: data) ?? "DingTalk asked to reconnect")
        case ("SYSTEM", let topic):
            return .skip(topic: topic)
        case ("CALLBACK", Self.robotTopic):
            guard let data, let callback = DingTalkCallback.parse(Array(data.utf8)) else {
                return .ignore(reason: "a robot message whose data is not the documented JSON",
                               ack: Self.ack(messageID: id, code: 400, message: "malformed robot message", data: "{}"))
            }
            return .deliver(callback, ack: Self.ack(messageID: id, data: #"{"response":null}"#))
        case ("CALLBACK", let topic):
            return .ignore(reason: "a callback for topic '\(topic)', which was not subscribed",
                           ack: Self.ack(messageID: id, code: 404, message: "no handler", data: "{}"))
        case ("EVENT", let topic):
            return .ignore(reason: "an event with topic '\(topic)', which was not subscribed",
                           ack: Self.ack(messageID: id, data: #"{"status":"SUCCESS","message":"not handled"}"#))
        default:
            return .ignore(reason: "a frame of unknown type '\(type)'", ack: nil)
        }
    }

    /// The `disconnect` frame's `{"reason": ...}`, when readable.
    static func reason(in data: String?) -> String? {
        guard let data, let object = try? JSONDecoder().decode([String: String].self, from: Data(data.utf8)) else { return nil }
        return object["reason"].map { String($0.prefix(200)) }
    }

    /// The response frame DingTalk waits for: the same message id, a status code, and `data` as JSON text.
    static func ack(messageID: String, code: Int = 200, message: String = "OK", data: String) -> String {
        let ack = Ack(code: code, headers: ["contentType": "application/json", "messageId": messageID], message: message, data: data)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(ack)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    struct Ack: Encodable {
        var code: Int
        var headers: [String: String]
        var message: String
        var data: String
    }
}
