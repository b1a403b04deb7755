import AsyncHTTPClient
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import StewardProtocol

/// A Slack workspace connection from `controller.yaml`: Socket Mode (the default: no public URL needed) or
/// the Events API over HTTP.
///
/// ```yaml
/// chat:
///   - platform: slack
///     mode: socket                                        # default
///     bot_token_file: /etc/steward/slack-bot-token        # xoxb-...
///     app_token_file: /etc/steward/slack-app-token        # xapp-..., scope connections:write
///   - platform: slack
///     name: slack-http
///     mode: events
///     bot_token_env: SLACK_BOT_TOKEN
///     signing_secret_file: /etc/steward/slack-signing-secret
///     events_path: /slack/events                          # the Request URL's path
/// ```
/// `run` calls `auth.test` (with backoff until Slack accepts the token) to learn the bot's user id, then
/// receives events and hands them to the engine.
public struct SlackConnection: ChatConnection {
    public enum Mode: String, Sendable {
        case socket, events
    }

    public struct Settings: Sendable {
        public var name: String
        public var mode: Mode = .events
        public var botToken: String
        /// Socket Mode's app-level token (`xapp-`).
        public var appToken: String? = nil
        /// The Events API signing secret.
        public var signingSecret: String
        public var apiURL: String
        public var eventsPath: String
        public var names: [String]
        public var prefix: String
    }

    public let settings: Settings
    public let health: ChatHealthMonitor
    let adapter: SlackAdapter
    let inbox = ChatInbox()
    let bot = NIOLockedValueBox<SlackBotIdentity?>(nil)
    let logger: Logger
    /// Where refused Events API requests are counted (`entry="slack"`).
    let metrics: ControllerMetrics

    public var name: String { settings.name }

    public init(settings: Settings, http: HTTPClient = .shared, logger: Logger, metrics: ControllerMetrics = ControllerMetrics()) {
        self.settings = settings
        self.metrics = metrics
        self.health = ChatHealthMonitor(name: settings.name, platform: "slack")
        self.adapter = SlackAdapter(client: SlackWebClient(
            configuration: .init(baseURL: settings.apiURL, botToken: settings.botToken), http: http, health: health))
        self.logger = logger
    }

    /// Reads a `platform: slack` entry.
    public static func settings(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> Settings {
        let mode = Mode(rawValue: try entry.choice("mode", ["socket", "events"], default: "socket")) ?? .socket
        let path = try entry.routePath("events_path", default: "/slack/events")
        let names = try entry.strings("names")
        let settings = Settings(
            name: entry.name, mode: mode, botToken: try entry.secret("bot_token"),
            appToken: mode == .socket ? try entry.secret("app_token") : nil,
            signingSecret: mode == .events ? try entry.secret("signing_secret") : "",
            apiURL: try entry.url("api_url", default: "https://slack.com/api/"), eventsPath: path,
            names: names.isEmpty ? ["steward"] : names, prefix: try entry.string("prefix", default: "!"))
        let otherModesKeys = mode == .socket ? ["signing_secret_file", "signing_secret_env", "events_path"] : ["app_token_file", "app_token_env"]
        if let misplaced = otherModesKeys.first(where: entry.has) {
            throw entry.error(.invalidValue, misplaced, "belongs to mode: \(mode == .socket ? "events" : "socket") (this connection uses mode: \(mode.rawValue))")
        }
        try entry.finish()
        return settings
    }

    public var routePaths: [String] { settings.mode == .events ? [settings.eventsPath] : [] }

    public func registerRoutes(on router: Router<APIRequestContext>) {
        guard settings.mode == .events else { return }
        let bot = self.bot
        let inbox = self.inbox
        SlackEventsEndpoint(
            signingSecret: settings.signingSecret, currentBot: { bot.withLockedValue { $0 } }, health: health,
            logger: logger, metrics: metrics, handler: { inbox.deliver($0) }
        ).register(on: router, path: settings.eventsPath)
    }

    public func run(engine: ChatEngine) async {
        var backoff = ReconnectBackoff()
        while !Task.isCancelled {
            do {
                let identity = try await adapter.client.authTest()
                bot.withLockedValue { $0 = SlackBotIdentity(userID: identity.userID, names: settings.names, prefix: settings.prefix) }
                // In Socket Mode "connected" means the socket said hello; the token check alone is not enough.
                if settings.mode == .events { await health.connected() } else { await health.callSucceeded() }
                logger.info("Slack connection ready", metadata: ["chat.connection": "\(name)", "slack.bot": "\(identity.userID)"])
                break
            } catch {
                let wait = Duration.milliseconds(backoff.next())
                logger.warning("Slack auth.test failed; retrying", metadata: [
                    "chat.connection": "\(name)", "error": "\(error)", "retry_in": "\(wait)",
                ])
                try? await Task.sleep(for: wait)
            }
        }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                if settings.mode == .socket, let socket = socketMode() {
                    group.addTask { await socket.run() }
                }
                group.addTask { await inbox.run(engine: engine, adapter: adapter) }
            }
        } onCancel: {
            inbox.finish()
        }
    }

    func socketMode() -> SlackSocketMode? {
        guard let appToken = settings.appToken else { return nil }
        let bot = self.bot
        let inbox = self.inbox
        return SlackSocketMode(
            appClient: SlackWebClient(configuration: .init(baseURL: settings.apiURL, botToken: appToken), health: health),
            health: health, logger: logger,
            message: { envelope in
                guard let identity = bot.withLockedValue({ $0 }) else { return nil }
                return envelope.payload?.chatMessage(bot: identity) ?? envelope.slashCommand?.chatMessage
                    ?? envelope.interaction?.chatMessage
            },
            deliver: { inbox.deliver($0) })
    }
}
