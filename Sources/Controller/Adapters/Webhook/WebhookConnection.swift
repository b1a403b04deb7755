import Foundation
import Hummingbird
import Logging
import NIOCore
import StewardProtocol

/// An inbound webhook from `controller.yaml`: a signed POST runs a command as a configured identity.
///
/// ```yaml
/// chat:
///   - platform: webhook
///     name: alertmanager
///     style: steward            # default: X-Steward-Signature (v1 HMAC), X-Steward-Request-Timestamp, X-Steward-Delivery
///     secret_file: /etc/steward/alertmanager-hook-secret
///     identity: alertmanager    # policy sees webhook:alertmanager
///     reply_url_env: OPS_ROOM_WEBHOOK   # optional: replies go to this incoming-webhook URL
///   - platform: webhook
///     name: slack-out
///     style: slack              # Slack-compatible outgoing webhook (BearyChat, Mattermost, Rocket.Chat outgoing)
///     secret_env: OUTGOING_TOKEN   # the integration's token, compared in constant time
/// ```
/// Steward style answers 202 at once; the delivery id is the event id, so a redelivery runs nothing twice.
/// Slack style answers with the first reply if it comes within ``syncReplyWindow`` (the platform posts it in
/// the channel); later replies go to `reply_url`. Its identity is the platform's user id: `<name>/<user_id>`.
public struct WebhookConnection: ChatConnection {
    public enum Style: String, Sendable {
        case steward, slack
    }

    public struct Settings: Sendable {
        public var name: String
        public var style: Style
        public var path: String
        public var secret: String
        /// The identity a Steward-style hook acts as.
        public var identity: String?
        public var replyURL: String?
    }

    /// Slack waits about 3 s for an outgoing webhook's answer.
    static let syncReplyWindow: Duration = .milliseconds(2500)
    static let signature = RequestSignature(version: "v1")

    public let settings: Settings
    public let health: ChatHealthMonitor
    let inbox = ChatInbox()
    let logger: Logger
    /// Where refused requests are counted (`entry="webhook"`).
    let metrics: ControllerMetrics
    let now: @Sendable () -> Date

    public var name: String { settings.name }

    public init(
        settings: Settings, logger: Logger, metrics: ControllerMetrics = ControllerMetrics(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.settings = settings
        self.health = ChatHealthMonitor(name: settings.name, platform: "webhook", connected: true)
        self.logger = logger
        self.metrics = metrics
        self.now = now
    }

    /// Reads a `platform: webhook` entry.
    public static func settings(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> Settings {
        let style = Style(rawValue: try entry.choice("style", ["steward", "slack"], default: "steward")) ?? .steward
        let path = try entry.routePath("path", default: "/hooks/\(entry.name)")
        let identity = try entry.optionalString("identity")
        if style == .steward, identity == nil {
            throw entry.error(.missingKey, "identity", "'identity' is required: the user a Steward-style hook acts as")
        }
        if let identity, !ChatConnectionSettings.isValidName(identity) {
            throw entry.error(.invalidName, "identity", "'\(identity)' is not a name (letters, digits, '-' and '_')")
        }
        let replyURL = try entry.optionalSecret("reply_url")
        if let replyURL, URL(string: replyURL)?.scheme.map({ ["http", "https"].contains($0.lowercased()) }) != true {
            throw entry.error(.invalidValue, entry.has("reply_url_file") ? "reply_url_file" : "reply_url_env", "the reply URL is not an http(s) URL")
        }
        let secret = try entry.secret("secret")
        guard secret.utf8.count >= 16 || style == .slack else {
            throw entry.error(.invalidValue, entry.has("secret_file") ? "secret_file" : "secret_env", "the secret must be at least 16 bytes")
        }
        let settings = Settings(name: entry.name, style: style, path: path, secret: secret, identity: identity, replyURL: replyURL)
        try entry.finish()
        return settings
    }

    var replyClient: WebhookReplyClient? {
        settings.replyURL.map { WebhookReplyClient(url: $0, health: health) }
    }

    public var routePaths: [String] { [settings.path] }

    public func registerRoutes(on router: Router<APIRequestContext>) {
        router.post(RouterPath(settings.path)) { request, _ -> Response in
            try await answer(request)
        }
    }

    public func run(engine: ChatEngine) async {
        let adapter = WebhookReplyAdapter(first: nil, reply: replyClient, logger: logger)
        await withTaskCancellationHandler {
            await inbox.run(engine: engine, adapter: adapter)
        } onCancel: {
            inbox.finish()
        }
    }
}
