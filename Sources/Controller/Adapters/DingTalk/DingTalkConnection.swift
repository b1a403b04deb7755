import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore

/// A DingTalk robot over its HTTP callback (outgoing mode), replying through each message's `sessionWebhook`.
///
/// ```yaml
/// chat:
///   - platform: dingtalk
///     app_secret_file: /etc/steward/dingtalk-app-secret   # the robot's AppSecret: checks the callback's sign
///     path: /dingtalk/callback
/// ```
/// The callback is refused unless its `timestamp`/`sign` headers verify (one-hour window). As the signature does
/// not cover the body, replies go only to `sessionWebhook` URLs under DingTalk's API host (`api_url`), never to
/// a URL a forged body names, and `msgId` de-duplicates redeliveries.
public struct DingTalkConnection: ChatConnection {
    public struct Settings: Sendable {
        public var name: String
        public var appSecret: String
        public var path: String
        /// Replies go only to session webhooks under this prefix.
        public var apiURL: String
    }

    /// DingTalk markdown messages are cut around 5,000 characters.
    static let maxMessageLength = 5000

    public let settings: Settings
    public let health: ChatHealthMonitor
    let inbox = ChatInbox()
    let logger: Logger
    let now: @Sendable () -> Date

    public var name: String { settings.name }

    public init(settings: Settings, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.health = ChatHealthMonitor(name: settings.name, platform: "dingtalk", connected: true)
        self.logger = logger
        self.now = now
    }

    public static func settings(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> Settings {
        let path = try entry.routePath("path", default: "/dingtalk/\(entry.name)")
        let apiURL = try entry.url("api_url", default: "https://oapi.dingtalk.com/")
        let settings = Settings(
            name: entry.name, appSecret: try entry.secret("app_secret"), path: path,
            apiURL: apiURL.hasSuffix("/") ? apiURL : apiURL + "/")
        try entry.finish()
        return settings
    }

    public func registerRoutes(on router: Router<APIRequestContext>) {
        router.post(RouterPath(settings.path)) { request, _ -> Response in
            try await answer(request)
        }
    }

    func answer(_ request: Request) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: 64 * 1024).readableBytesView)
        let header = { (name: String) in request.headers.first { $0.name.canonicalName == name }?.value }
        guard DingTalkSignature.isValid(timestampMs: header("timestamp"), sign: header("sign"), secret: settings.appSecret, now: now()) else {
            await health.requestRejected()
            logger.warning("rejected a DingTalk callback", metadata: ["chat.connection": "\(name)", "reason": "bad or stale sign"])
            throw HTTPError(.unauthorized, message: "unauthenticated DingTalk callback")
        }
        guard let callback = DingTalkCallback.parse(body) else {
            throw HTTPError(.badRequest, message: "the body is not a DingTalk robot message")
        }
        await health.eventReceived()
        if let message = callback.chatMessage() {
            let reply = callback.sessionWebhook.flatMap { url in
                url.hasPrefix(settings.apiURL) ? url : nil
            }
            if callback.sessionWebhook != nil, reply == nil {
                logger.warning("a DingTalk sessionWebhook outside the API host was ignored", metadata: ["chat.connection": "\(name)"])
            }
            let adapter = DingTalkSessionAdapter(sessionWebhook: reply, health: health, logger: logger)
            guard inbox.deliver(message, via: adapter) else {
                throw HTTPError(.serviceUnavailable, message: "too many DingTalk messages queued")
            }
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
    }

    public func run(engine: ChatEngine) async {
        let fallback = DingTalkSessionAdapter(sessionWebhook: nil, health: health, logger: logger)
        await withTaskCancellationHandler {
            await inbox.run(engine: engine, adapter: fallback)
        } onCancel: {
            inbox.finish()
        }
    }
}

/// Replies to one DingTalk conversation through its session webhook, as markdown.
struct DingTalkSessionAdapter: ChatAdapter {
    let sessionWebhook: String?
    let health: ChatHealthMonitor
    let logger: Logger

    var platform: String { "dingtalk" }

    var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: false, supportsThreads: false, maxMessageLength: DingTalkConnection.maxMessageLength)
    }

    func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        guard let sessionWebhook else {
            logger.debug("DingTalk reply dropped: no session webhook", metadata: ["chat.room": "\(room)"])
            return PostedMessage(room: room, thread: nil, messageID: "")
        }
        let payload: [String: Any] = ["msgtype": "markdown", "markdown": ["title": "steward", "text": reply.markdown]]
        var request = HTTPClientRequest(url: sessionWebhook)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: payload)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        let bytes = try await response.body.collect(upTo: 64 * 1024)
        // DingTalk answers 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a failure.
        let answer = try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any]
        guard response.status.code == 200, (answer?["errcode"] as? Int) == 0 else {
            let reason = "sessionWebhook answered \(response.status.code) \(answer?["errmsg"] as? String ?? "")"
            await health.callFailed(reason)
            throw WebhookError(.delivery, reason)
        }
        await health.callSucceeded()
        return PostedMessage(room: room, thread: nil, messageID: "")
    }

    func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        _ = try await post(reply, room: message.room, thread: message.thread)
    }
}
