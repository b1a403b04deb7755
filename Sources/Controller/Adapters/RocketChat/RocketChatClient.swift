import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Rocket.Chat's REST API as the bot (`X-User-Id` + `X-Auth-Token`, a personal access token): who am I, post a
/// message (threaded by `tmid`), update it, and a room's type.
///
/// Honours one HTTP 429 (see ``RocketChatRateLimit``); a 401 marks the connection's credentials as refused with the
/// server's own words.
public struct RocketChatClient: Sendable {
    /// Where and as whom the client calls Rocket.Chat; never printed with the token.
    public struct Configuration: Sendable, CustomStringConvertible, CustomReflectable {
        /// `https://chat.example.com` (no trailing `/`; a path prefix such as `/chat` is kept).
        public var serverURL: String
        public var userID: String
        public var token: String
        /// The longest wait a 429 may ask for before the one retry; longer fails at once.
        public var maxRetryWait: Duration
        public var timeout: TimeAmount

        public init(serverURL: String, userID: String, token: String, maxRetryWait: Duration = .seconds(30), timeout: TimeAmount = .seconds(15)) {
            self.serverURL = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
            self.userID = userID
            self.token = token
            self.maxRetryWait = maxRetryWait
            self.timeout = timeout
        }

        public var description: String { "RocketChatClient.Configuration(server: \(serverURL), user_id: \(userID))" }
        public var customMirror: Mirror { Mirror(self, children: ["serverURL": serverURL, "userID": userID]) }
    }

    /// Answers are small; a huge body is a fault, not a message.
    static let maxResponseBytes = 1 << 20

    public let configuration: Configuration
    let http: HTTPClient
    let health: ChatHealthMonitor?
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Date

    public init(
        configuration: Configuration, http: HTTPClient = .shared, health: ChatHealthMonitor? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.http = http
        self.health = health
        self.sleep = sleep
        self.now = now
    }

    /// The account behind the token.
    public struct Me: Decodable, Sendable, Hashable {
        public var id: String
        public var username: String

        enum CodingKeys: String, CodingKey {
            case id = "_id"
            case username
        }
    }

    /// `GET /api/v1/me`: checks the token and tells the bot's id and username.
    public func me() async throws(RocketChatError) -> Me {
        try decode(Me.self, try await call(.GET, "/api/v1/me"), "me")
    }

    /// `POST /api/v1/chat.postMessage`; `threadID` (`tmid`) makes it a reply in that thread. Returns the message id.
    public func postMessage(roomID: String, text: String, threadID: String?) async throws(RocketChatError) -> String {
        let body = PostMessage(roomId: roomID, text: text, tmid: threadID)
        let answer = try decode(Posted.self, try await call(.POST, "/api/v1/chat.postMessage", body: encode(body)), "chat.postMessage")
        return answer.message.id
    }

    /// `POST /api/v1/chat.update`: replaces the text of the bot's message.
    public func update(roomID: String, messageID: String, text: String) async throws(RocketChatError) {
        _ = try await call(.POST, "/api/v1/chat.update", body: encode(Update(roomId: roomID, msgId: messageID, text: text)))
    }

    /// A room's type and size, from `GET /api/v1/rooms.info`.
    public struct Room: Decodable, Sendable, Hashable {
        /// `c` channel, `p` private group, `d` direct message, `l` livechat.
        public var type: String
        public var usersCount: Int?

        enum CodingKeys: String, CodingKey {
            case type = "t"
            case usersCount
        }
    }

    public func roomInfo(roomID: String) async throws(RocketChatError) -> Room {
        let query = roomID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? roomID
        struct Answer: Decodable { var room: Room }
        return try decode(Answer.self, try await call(.GET, "/api/v1/rooms.info?roomId=\(query)"), "rooms.info").room
    }

    /// The Realtime API URL: `wss://` for an `https://` server (`ws://` for `http://`), at `<server>/websocket`.
    public var webSocketURL: String {
        let server = configuration.serverURL
        let base = server.lowercased().hasPrefix("https://") ? "wss://" + server.dropFirst(8) : "ws://" + server.dropFirst(7)
        return base + "/websocket"
    }

    struct PostMessage: Encodable {
        var roomId: String
        var text: String
        var tmid: String?
    }

    struct Update: Encodable {
        var roomId: String
        var msgId: String
        var text: String
    }

    struct Posted: Decodable {
        struct Message: Decodable {
            var id: String

            enum CodingKeys: String, CodingKey {
                case id = "_id"
            }
        }

        var message: Message
    }

    private func encode(_ body: some Encodable) -> Data {
        // Structs of strings always encode.
        (try? JSONEncoder().encode(body)) ?? Data()
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ what: String) throws(RocketChatError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw RocketChatError(.malformed, "\(what) answered with unexpected JSON: \(RocketChatDDPFrame.describe(error))")
        }
    }
}
