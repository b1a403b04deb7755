import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Mattermost's REST API v4 as the bot: who am I, create a post (threaded by `root_id`), patch a post.
///
/// Honours one HTTP 429 (`Retry-After` or `X-Ratelimit-Reset`, at most 30 s); a 401 marks the connection's
/// credentials as refused.
public struct MattermostClient: Sendable {
    /// Mattermost refuses posts above 16,383 characters.
    public static let maxPostLength = 16_383
    static let maxResponseBytes = 1 << 20

    /// `https://mattermost.example.com` (no trailing `/api/v4`).
    let serverURL: String
    let token: String
    let http: HTTPClient
    let health: ChatHealthMonitor?

    public init(serverURL: String, token: String, http: HTTPClient = .shared, health: ChatHealthMonitor? = nil) {
        self.serverURL = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        self.token = token
        self.http = http
        self.health = health
    }

    public struct User: Decodable, Sendable {
        public var id: String
        public var username: String
    }

    public struct Post: Codable, Sendable {
        public var id: String?
        public var channelID: String
        public var message: String
        public var rootID: String?

        enum CodingKeys: String, CodingKey {
            case id, message
            case channelID = "channel_id"
            case rootID = "root_id"
        }
    }

    /// `GET /api/v4/users/me`: checks the token and tells the bot's id and username.
    public func me() async throws -> User {
        try JSONDecoder().decode(User.self, from: try await call(.GET, "/api/v4/users/me", body: nil))
    }

    public func createPost(channelID: String, message: String, rootID: String?) async throws -> Post {
        let body = try JSONEncoder().encode(Post(id: nil, channelID: channelID, message: message, rootID: rootID))
        return try JSONDecoder().decode(Post.self, from: try await call(.POST, "/api/v4/posts", body: body))
    }

    public func patchPost(id: String, message: String) async throws {
        let body = try JSONEncoder().encode(["message": message])
        _ = try await call(.PUT, "/api/v4/posts/\(Self.pathSegment(id))/patch", body: body)
    }

    /// The WebSocket URL for events (`wss://` for an `https://` server).
    var webSocketURL: String {
        let base = serverURL.hasPrefix("https://") ? "wss://" + serverURL.dropFirst(8) : "ws://" + serverURL.dropFirst(7)
        return base + "/api/v4/websocket"
    }

    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
    }

    func call(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> Data {
        for attempt in 0..<2 {
            var request = HTTPClientRequest(url: serverURL + path)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            let response: HTTPClientResponse
            let bytes: ByteBuffer
            do {
                response = try await http.execute(request, timeout: .seconds(15))
                bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
            } catch {
                await health?.callFailed("\(method) \(path) failed: \(error)")
                throw MattermostError("\(method) \(path) failed: \(error)")
            }
            let status = response.status.code
            if status == 429, attempt == 0 {
                let wait = response.headers.first(name: "Retry-After").flatMap { Int($0) }
                    ?? response.headers.first(name: "X-Ratelimit-Reset").flatMap { Int($0) } ?? 1
                if (0...30).contains(wait) {
                    try await Task.sleep(for: .seconds(wait))
                    continue
                }
            }
            let data = Data(bytes.readableBytesView)
            guard (200..<300).contains(status) else {
                let reason = (try? JSONDecoder().decode(APIError.self, from: data))?.id ?? "HTTP \(status)"
                if status == 401 {
                    await health?.authFailed(reason)
                } else {
                    await health?.callFailed("\(method) \(path): \(reason)")
                }
                throw MattermostError("\(method) \(path) answered \(status) \(reason)", unauthorized: status == 401)
            }
            await health?.callSucceeded()
            return data
        }
        throw MattermostError("\(method) \(path) is rate limited")
    }

    /// Mattermost's error body: `{"id": "api.context.session_expired.app_error", "message": ..., "status_code": 401}`.
    struct APIError: Decodable {
        var id: String
    }
}

public struct MattermostError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The server refused the token (revoked, expired, wrong).
    public var unauthorized: Bool

    public init(_ message: String, unauthorized: Bool = false) {
        self.message = message
        self.unauthorized = unauthorized
    }

    public var description: String { "mattermost: \(message)" }
}

/// Replies as posts in the asker's thread; live progress by patching the post.
struct MattermostAdapter: ChatAdapter {
    let client: MattermostClient

    var platform: String { "mattermost" }

    var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: true, supportsThreads: true, maxMessageLength: MattermostClient.maxPostLength)
    }

    func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        let post = try await client.createPost(channelID: room, message: reply.markdown, rootID: thread)
        guard let id = post.id else { throw MattermostError("the created post has no id") }
        return PostedMessage(room: room, thread: thread, messageID: id)
    }

    func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        try await client.patchPost(id: message.messageID, message: reply.markdown)
    }
}
