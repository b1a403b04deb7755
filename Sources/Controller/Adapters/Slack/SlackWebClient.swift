import AsyncHTTPClient
import Foundation
import NIOCore

/// Calls Slack's Web API (`chat.postMessage`, `chat.update`) with the bot token, honouring HTTP 429 `Retry-After`.
public struct SlackWebClient: Sendable {
    /// Where and as whom the client calls Slack.
    public struct Configuration: Sendable {
        /// `https://slack.com/api/`; tests point it at a fake. A trailing `/` is added when missing.
        public var baseURL: String
        /// The bot token (`xoxb-...`).
        public var botToken: String
        /// The longest `Retry-After` the client waits out before retrying once; longer waits fail at once.
        public var maxRetryWait: Duration
        public var timeout: TimeAmount

        public init(
            baseURL: String = "https://slack.com/api/", botToken: String, maxRetryWait: Duration = .seconds(30),
            timeout: TimeAmount = .seconds(15)
        ) {
            self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
            self.botToken = botToken
            self.maxRetryWait = maxRetryWait
            self.timeout = timeout
        }
    }

    /// Where a posted message landed: its channel and `ts`, which is its id for `chat.update`.
    public struct Posted: Sendable, Hashable {
        public var channel: String
        public var ts: String
    }

    /// Slack errors that mean the token itself is no good: the bot is deaf and mute until an operator acts.
    static let authErrors: Set<String> = [
        "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "no_permission", "missing_scope",
    ]
    /// Slack answers are small; a huge body is a fault, not a message.
    static let maxResponseBytes = 1 << 20

    let configuration: Configuration
    let http: HTTPClient
    let health: ChatHealthMonitor?
    let sleep: @Sendable (Duration) async throws -> Void

    public init(
        configuration: Configuration, http: HTTPClient = .shared, health: ChatHealthMonitor? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.configuration = configuration
        self.http = http
        self.health = health
        self.sleep = sleep
    }

    /// `chat.postMessage`; `threadTS` makes it a reply in that thread; `blocks` (Block Kit) replace `text` on screen.
    public func postMessage(channel: String, text: String, threadTS: String?) async throws -> Posted {
        try await postMessage(channel: channel, text: text, threadTS: threadTS, blocks: nil)
    }

    func postMessage(channel: String, text: String, threadTS: String?, blocks: [SlackBlocks.Block]?) async throws -> Posted {
        let answer = try await call("chat.postMessage", PostMessage(channel: channel, text: text, threadTS: threadTS, blocks: blocks))
        guard let ts = answer.ts else { throw SlackError(.transport, "chat.postMessage answered without a ts") }
        return Posted(channel: answer.channel ?? channel, ts: ts)
    }

    /// `chat.update`: replaces the text of the message `ts` in `channel`.
    public func update(channel: String, ts: String, text: String) async throws {
        try await update(channel: channel, ts: ts, text: text, blocks: nil)
    }

    /// `chat.update` with Block Kit; Slack keeps a message's old blocks (buttons) unless new ones are given.
    func update(channel: String, ts: String, text: String, blocks: [SlackBlocks.Block]?) async throws {
        _ = try await call("chat.update", Update(channel: channel, ts: ts, text: text, blocks: blocks))
    }

    /// `auth.test`: checks the token and tells who the bot is.
    public func authTest() async throws -> (userID: String, team: String?) {
        let answer = try await call("auth.test", [String: String]())
        guard let user = answer.userID, !user.isEmpty else { throw SlackError(.transport, "auth.test answered without a user_id") }
        return (user, answer.team)
    }

    /// `apps.connections.open` (with the app-level `xapp-` token): a fresh Socket Mode WebSocket URL.
    public func openSocketConnection() async throws -> String {
        let answer = try await call("apps.connections.open", [String: String]())
        guard let url = answer.url, url.hasPrefix("wss://") || url.hasPrefix("ws://") else {
            throw SlackError(.transport, "apps.connections.open answered without a WebSocket url")
        }
        return url
    }

    func call(_ method: String, _ body: some Encodable) async throws -> Answer {
        try await call(method, body: JSONEncoder().encode(body), contentType: "application/json; charset=utf-8")
    }

    /// A method that takes `application/x-www-form-urlencoded` arguments (`files.getUploadURLExternal`).
    func call(_ method: String, form fields: [(String, String)]) async throws -> Answer {
        let body = fields.map { "\($0.0)=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        return try await call(method, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    func call(_ method: String, body: Data, contentType: String) async throws -> Answer {
        do {
            let answer = try await callOnce(method, body, contentType: contentType, retriesLeft: 1)
            await health?.callSucceeded()
            return answer
        } catch let error as SlackError {
            await health?.callFailed(error)
            throw error
        }
    }

    private func callOnce(_ method: String, _ body: Data, contentType: String, retriesLeft: Int) async throws -> Answer {
        var request = HTTPClientRequest(url: configuration.baseURL + method)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.botToken)")
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: configuration.timeout)
            bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
        } catch {
            throw SlackError(.transport, "\(method) failed: \(error)")
        }
        if response.status.code == 429 {
            let seconds = response.headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            let wait = Duration.seconds(max(seconds ?? 1, 0))
            guard retriesLeft > 0, wait <= configuration.maxRetryWait else {
                throw SlackError(.rateLimited, "\(method) is rate limited", slackError: "ratelimited", retryAfterSeconds: seconds)
            }
            try await sleep(wait)
            return try await callOnce(method, body, contentType: contentType, retriesLeft: retriesLeft - 1)
        }
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(bytes.readableBytesView))
        guard (200..<300).contains(response.status.code), let answer else {
            throw SlackError(.transport, "\(method) answered HTTP \(response.status.code)", slackError: answer?.error)
        }
        guard answer.ok else {
            let reason = answer.error ?? "unknown_error"
            let code: SlackError.Code = Self.authErrors.contains(reason) ? .authFailed : .apiError
            throw SlackError(code, "\(method) failed: \(reason)", slackError: reason)
        }
        return answer
    }

    /// Form-encodes a value: everything but unreserved characters percent-escaped.
    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The fields of a Web API answer this client reads.
    struct Answer: Decodable {
        var ok: Bool
        var error: String?
        var channel: String?
        var ts: String?
        var userID: String?
        var team: String?
        var url: String?
        var uploadURL: String?
        var fileID: String?

        enum CodingKeys: String, CodingKey {
            case ok, error, channel, ts, team, url
            case userID = "user_id"
            case uploadURL = "upload_url"
            case fileID = "file_id"
        }
    }

    struct PostMessage: Encodable {
        var channel: String
        var text: String
        var threadTS: String?
        var blocks: [SlackBlocks.Block]?
        /// Job output is full of host names and URLs; previews would bury the answer.
        var unfurlLinks = false
        var unfurlMedia = false

        enum CodingKeys: String, CodingKey {
            case channel, text, blocks
            case threadTS = "thread_ts"
            case unfurlLinks = "unfurl_links"
            case unfurlMedia = "unfurl_media"
        }
    }

    struct Update: Encodable {
        var channel: String
        var ts: String
        var text: String
        var blocks: [SlackBlocks.Block]?
    }
}
