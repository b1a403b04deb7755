import Foundation
import Hummingbird
import Logging
import NIOCore

/// A DingTalk robot (an enterprise-internal app's robot), replying through each message's `sessionWebhook`.
///
/// ```yaml
/// chat:
///   - platform: dingtalk
///     mode: stream                                         # default: DingTalk pushes over a WebSocket we open
///     client_id: dingxxxxxxxxxxxx                          # the app's Client ID (AppKey)
///     client_secret_file: /etc/steward/dingtalk-secret     # the app's Client Secret (AppSecret)
///   - platform: dingtalk
///     name: dingtalk-http
///     mode: callback                                       # DingTalk POSTs to a public URL
///     app_secret_file: /etc/steward/dingtalk-app-secret    # the AppSecret: checks the callback's sign
///     path: /dingtalk/callback
/// ```
/// Stream mode needs no public URL (see ``DingTalkStream``). A callback is refused unless its `timestamp`/`sign`
/// headers verify (one-hour window). As that signature does not cover the body, replies go only to `sessionWebhook`
/// URLs under DingTalk's API host (`api_url`), never to a URL a forged body names; both modes de-duplicate
/// redeliveries by `msgId`.
public struct DingTalkConnection: ChatConnection {
    public enum Mode: String, Sendable {
        case stream, callback
    }

    public struct Settings: Sendable {
        public var name: String
        public var mode: Mode = .callback
        /// The app's secret: Stream mode's client secret, or the key that checks a callback's sign (the same AppSecret).
        public var appSecret: String
        /// Stream mode's client id (AppKey).
        public var clientID: String = ""
        public var path: String
        /// Replies go only to session webhooks under this prefix.
        public var apiURL: String
        /// Stream mode's gateway (`connections/open`).
        public var gatewayURL: String = "https://api.dingtalk.com/"
    }

    /// DingTalk markdown messages are cut around 5,000 characters.
    static let maxMessageLength = 5000

    public let settings: Settings
    public let health: ChatHealthMonitor
    let inbox = ChatInbox()
    let logger: Logger
    /// Where refused callbacks are counted (`entry="dingtalk"`).
    let metrics: ControllerMetrics
    let now: @Sendable () -> Date

    public var name: String { settings.name }

    public init(
        settings: Settings, logger: Logger, metrics: ControllerMetrics = ControllerMetrics(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.settings = settings
        self.metrics = metrics
        // A callback endpoint serves as soon as the controller does; a Stream connection once its socket opens.
        self.health = ChatHealthMonitor(name: settings.name, platform: "dingtalk", connected: settings.mode == .callback)
        self.logger = logger
        self.now = now
    }

    public static func settings(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> Settings {
        let mode = Mode(rawValue: try entry.choice("mode", ["stream", "callback"], default: "stream")) ?? .stream
        let path = try entry.routePath("path", default: "/dingtalk/\(entry.name)")
        let apiURL = try entry.url("api_url", default: "https://oapi.dingtalk.com/")
        let misplaced = mode == .stream ? ["path", "app_secret_file", "app_secret_env"] : ["client_id", "client_secret_file", "client_secret_env", "gateway_url"]
        if let key = misplaced.first(where: entry.has) {
            throw entry.error(.invalidValue, key, "belongs to mode: \(mode == .stream ? "callback" : "stream") (this connection uses mode: \(mode.rawValue))")
        }
        var settings = Settings(name: entry.name, mode: mode, appSecret: "", path: path, apiURL: apiURL.hasSuffix("/") ? apiURL : apiURL + "/")
        switch mode {
        case .stream:
            settings.clientID = try entry.string("client_id")
            settings.appSecret = try entry.secret("client_secret")
            let gateway = try entry.url("gateway_url", default: settings.gatewayURL)
            settings.gatewayURL = gateway.hasSuffix("/") ? gateway : gateway + "/"
        case .callback:
            settings.appSecret = try entry.secret("app_secret")
        }
        try entry.finish()
        return settings
    }

    public var routePaths: [String] { settings.mode == .callback ? [settings.path] : [] }

    public func registerRoutes(on router: Router<APIRequestContext>) {
        guard settings.mode == .callback else { return }
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
            metrics.rejected(.dingtalk, .badSignature)
            throw HTTPError(.unauthorized, message: "unauthenticated DingTalk callback")
        }
        guard let callback = DingTalkCallback.parse(body) else {
            throw HTTPError(.badRequest, message: "the body is not a DingTalk robot message")
        }
        await health.eventReceived()
        guard accept(callback) else {
            throw HTTPError(.serviceUnavailable, message: "too many DingTalk messages queued")
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
    }

    /// Queues a robot message for the engine with an adapter that answers through its session webhook (only one
    /// under `api_url`); false only when the inbox is full. Messages that are not text commands are taken and dropped.
    func accept(_ callback: DingTalkCallback) -> Bool {
        guard let message = callback.chatMessage() else {
            logger.debug("a DingTalk message that is not a text command was ignored", metadata: ["chat.connection": "\(name)"])
            return true
        }
        let reply = callback.sessionWebhook.flatMap { url in
            url.hasPrefix(settings.apiURL) ? url : nil
        }
        if callback.sessionWebhook != nil, reply == nil {
            logger.warning("a DingTalk sessionWebhook outside the API host was ignored", metadata: ["chat.connection": "\(name)"])
        }
        return inbox.deliver(message, via: DingTalkSessionAdapter(sessionWebhook: reply, health: health, logger: logger))
    }

    public func run(engine: ChatEngine) async {
        let fallback = DingTalkSessionAdapter(sessionWebhook: nil, health: health, logger: logger)
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                if settings.mode == .stream {
                    let stream = stream()
                    group.addTask { await stream.run() }
                }
                group.addTask { await inbox.run(engine: engine, adapter: fallback) }
            }
        } onCancel: {
            inbox.finish()
        }
    }

    func stream() -> DingTalkStream {
        let connection = self
        return DingTalkStream(
            gateway: DingTalkGateway(baseURL: settings.gatewayURL, clientID: settings.clientID, clientSecret: settings.appSecret),
            health: health, logger: logger, accept: { connection.accept($0) })
    }
}
