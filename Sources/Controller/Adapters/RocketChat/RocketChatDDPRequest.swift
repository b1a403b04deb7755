import Foundation

/// The frames the bot sends on the Realtime API, as JSON text (keys sorted, so tests compare exact bytes).
public enum RocketChatDDPRequest {
    /// `{"msg":"connect","version":"1","support":["1"]}`: the first frame of every session.
    public static func connect() -> String {
        encode(Connect())
    }

    /// `login` with a personal access token as the resume token.
    public static func login(id: String, token: String) -> String {
        encode(Method(id: id, method: "login", params: [["resume": token]]))
    }

    /// `sub` to `stream-room-messages` for `__my_messages__`: every message in every room the bot is in.
    public static func subscribeToMyMessages(id: String) -> String {
        encode(Subscribe(id: id, name: RocketChatDDPFrame.messagesCollection, params: [.room("__my_messages__"), .flag(false)]))
    }

    /// The answer to a server `ping`, echoing its id when it had one.
    public static func pong(id: String?) -> String {
        encode(Pong(id: id))
    }

    private struct Connect: Encodable {
        var msg = "connect"
        var version = "1"
        var support = ["1"]
    }

    private struct Method: Encodable {
        var msg = "method"
        var id: String
        var method: String
        var params: [[String: String]]
    }

    private struct Subscribe: Encodable {
        enum Parameter: Encodable {
            case room(String)
            case flag(Bool)

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .room(let room): try container.encode(room)
                case .flag(let flag): try container.encode(flag)
                }
            }
        }

        var msg = "sub"
        var id: String
        var name: String
        var params: [Parameter]
    }

    private struct Pong: Encodable {
        var msg = "pong"
        var id: String?
    }

    private static func encode(_ frame: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, bools and arrays of them always encode.
        guard let data = try? encoder.encode(frame) else { preconditionFailure("a DDP request did not encode") }
        return String(decoding: data, as: UTF8.self)
    }
}
