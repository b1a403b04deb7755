import Foundation

/// A frame of the Realtime API (DDP over WebSocket) from the server, as far as the bot cares.
///
/// Parsing is pure: a frame that is not the JSON Rocket.Chat documents throws ``RocketChatError/Code/malformed``
/// with the reason, and the session logs it and goes on reading.
public enum RocketChatDDPFrame: Sendable, Hashable {
    /// `{"server_id": "0"}`, sent before anything else.
    case serverID
    case connected(session: String?)
    /// The server does not speak DDP version 1; it proposes another.
    case failed(version: String?)
    /// A heartbeat; answered with `pong` and the same id.
    case ping(id: String?)
    case pong
    /// A method's answer; `error` is set when it failed.
    case result(id: String, error: Failure?)
    case ready(subscriptions: [String])
    /// A subscription refused or ended by the server.
    case nosub(id: String, error: Failure?)
    /// A message on `stream-room-messages`.
    case roomMessage(RocketChatMessage)
    /// The server could not read one of our frames.
    case error(reason: String)
    /// Frames the bot has no use for (`updated`, `added`, other collections), by `msg`.
    case ignored(String)

    /// A Meteor error: `{"error": 403, "reason": "...", "message": "... [403]", "errorType": "Meteor.Error"}`.
    public struct Failure: Sendable, Hashable, Decodable {
        /// A number or a string (`403`, `"not-allowed"`), kept as text.
        public var error: String?
        public var reason: String?
        public var message: String?

        public init(error: String? = nil, reason: String? = nil, message: String? = nil) {
            self.error = error
            self.reason = reason
            self.message = message
        }

        enum CodingKeys: String, CodingKey {
            case error, reason, message
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let text = try? container.decodeIfPresent(String.self, forKey: .error) {
                error = text
            } else {
                error = (try? container.decodeIfPresent(Int.self, forKey: .error)).map { String($0) }
            }
            reason = try? container.decodeIfPresent(String.self, forKey: .reason)
            message = try? container.decodeIfPresent(String.self, forKey: .message)
        }

        /// What the operator reads: the reason, as the server words it.
        public var explanation: String {
            RocketChatText.shown(reason ?? message ?? error ?? "no reason given")
        }
    }

    /// The collection (and subscription name) of room messages.
    static let messagesCollection = "stream-room-messages"

    /// Parses one text frame.
    public static func parse(_ text: String) throws(RocketChatError) -> RocketChatDDPFrame {
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(text.utf8))
        } catch {
            throw RocketChatError(.malformed, "not a DDP frame: \(Self.describe(error))")
        }
        if raw.serverID != nil, raw.msg == nil { return .serverID }
        guard let msg = raw.msg else { throw RocketChatError(.malformed, "a frame without 'msg'") }
        switch msg {
        case "connected":
            return .connected(session: raw.session)
        case "failed":
            return .failed(version: raw.version)
        case "ping":
            return .ping(id: raw.id)
        case "pong":
            return .pong
        case "result":
            return .result(id: try required(raw.id, "a result without an id"), error: raw.error)
        case "ready":
            return .ready(subscriptions: raw.subs ?? [])
        case "nosub":
            return .nosub(id: try required(raw.id, "a nosub without an id"), error: raw.error)
        case "error":
            return .error(reason: RocketChatText.shown(raw.reason ?? "no reason given"))
        case "changed" where raw.collection == messagesCollection:
            guard let message = raw.message else { throw RocketChatError(.malformed, "a room message event without a message") }
            return .roomMessage(message)
        default:
            return .ignored(RocketChatText.shown(msg))
        }
    }

    private static func required(_ id: String?, _ reason: String) throws(RocketChatError) -> String {
        guard let id, !id.isEmpty else { throw RocketChatError(.malformed, reason) }
        return id
    }

    /// Decoding errors name the path that failed, never echo the input.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "'\(path(context.codingPath + [key]))' is missing"
        case DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty:
            return "not a JSON object"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "'\(path(context.codingPath))' has the wrong type"
        case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not JSON"
        case DecodingError.dataCorrupted(let context):
            return "'\(path(context.codingPath))' is unreadable"
        default:
            return "unreadable"
        }
    }

    /// `fields.args[0].u`.
    private static func path(_ keys: [any CodingKey]) -> String {
        var path = ""
        for key in keys {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += (path.isEmpty ? "" : ".") + RocketChatText.shown(key.stringValue)
            }
        }
        return path
    }

    /// The frame's fields; a room message is decoded only on `stream-room-messages`, so other collections'
    /// shapes never fail the parse.
    private struct Raw: Decodable {
        var msg: String?
        var serverID: String?
        var id: String?
        var session: String?
        var version: String?
        var subs: [String]?
        var error: Failure?
        var reason: String?
        var collection: String?
        var message: RocketChatMessage?

        enum CodingKeys: String, CodingKey {
            case msg, id, session, version, subs, error, reason, collection, fields
            case serverID = "server_id"
        }

        struct Fields: Decodable {
            var eventName: String?
            var args: Arguments
        }

        /// `args`: the message, then (on older servers) room facts the bot does not need.
        struct Arguments: Decodable {
            var message: RocketChatMessage

            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                message = try container.decode(RocketChatMessage.self)
            }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            msg = try container.decodeIfPresent(String.self, forKey: .msg)
            serverID = try? container.decodeIfPresent(String.self, forKey: .serverID)
            id = try container.decodeIfPresent(String.self, forKey: .id)
            session = try? container.decodeIfPresent(String.self, forKey: .session)
            version = try? container.decodeIfPresent(String.self, forKey: .version)
            subs = try container.decodeIfPresent([String].self, forKey: .subs)
            error = try container.decodeIfPresent(Failure.self, forKey: .error)
            reason = try? container.decodeIfPresent(String.self, forKey: .reason)
            collection = try container.decodeIfPresent(String.self, forKey: .collection)
            if msg == "changed", collection == RocketChatDDPFrame.messagesCollection {
                message = try container.decode(Fields.self, forKey: .fields).args.message
            }
        }
    }
}
