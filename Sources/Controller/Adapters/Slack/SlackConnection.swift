import AsyncHTTPClient
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import StewardProtocol

/// A Slack workspace connection from `controller.yaml`, over the Events API (`mode: events`).
///
/// ```yaml
/// chat:
///   - platform: slack
///     mode: events
///     bot_token_file: /etc/steward/slack-bot-token       # xoxb-...
///     signing_secret_file: /etc/steward/slack-signing-secret
///     events_path: /slack/events                         # the Request URL's path
/// ```
/// `run` calls `auth.test` (with backoff until Slack accepts the token) to learn the bot's user id, then
/// hands queued events to the engine.
public struct SlackConnection: ChatConnection {
    public struct Settings: Sendable {
        public var name: String
        public var botToken: String
        public var signingSecret: String
        public var apiURL: String
        public var eventsPath: String
        public var names: [String]
        public var prefix: String
    }

    public let settings: Settings
    public let health: ChatHealthMonitor
    let adapter: SlackAdapter
    let inbox = SlackInbox()
    let bot = NIOLockedValueBox<SlackBotIdentity?>(nil)
    let logger: Logger

    public var name: String { settings.name }

    public init(settings: Settings, http: HTTPClient = .shared, logger: Logger) {
        self.settings = settings
        self.health = ChatHealthMonitor(name: settings.name, platform: "slack")
        self.adapter = SlackAdapter(client: SlackWebClient(
            configuration: .init(baseURL: settings.apiURL, botToken: settings.botToken), http: http, health: health))
        self.logger = logger
    }

    /// Reads a `platform: slack` entry.
    public static func settings(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> Settings {
        _ = try entry.choice("mode", ["events"], default: "events")
        let path = try entry.string("events_path", default: "/slack/events")
        guard path.hasPrefix("/"), !path.hasPrefix("/api/"), path.count <= 200 else {
            throw entry.error(.invalidValue, "events_path", "'\(path)' must start with '/' and not be under /api/")
        }
        let names = try entry.strings("names")
        let settings = Settings(
            name: entry.name, botToken: try entry.secret("bot_token"), signingSecret: try entry.secret("signing_secret"),
            apiURL: try entry.url("api_url", default: "https://slack.com/api/"), eventsPath: path,
            names: names.isEmpty ? ["steward"] : names, prefix: try entry.string("prefix", default: "!"))
        try entry.finish()
        return settings
    }

    public func registerRoutes(on router: Router<APIRequestContext>) {
        let bot = self.bot
        let inbox = self.inbox
        SlackEventsEndpoint(
            signingSecret: settings.signingSecret, currentBot: { bot.withLockedValue { $0 } }, health: health,
            logger: logger, handler: { inbox.deliver($0) }
        ).register(on: router, path: settings.eventsPath)
    }

    public func run(engine: ChatEngine) async {
        var backoff = ReconnectBackoff()
        while !Task.isCancelled {
            do {
                let identity = try await adapter.client.authTest()
                bot.withLockedValue { $0 = SlackBotIdentity(userID: identity.userID, names: settings.names, prefix: settings.prefix) }
                await health.connected()
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
            await inbox.run(engine: engine, adapter: adapter)
        } onCancel: {
            inbox.finish()
        }
    }
}
