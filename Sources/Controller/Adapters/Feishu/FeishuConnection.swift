import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import StewardProtocol

/// A Feishu (or Lark) custom app's bot: events over the HTTP event subscription, replies and progress
/// edits through the open API with the app's tenant token.
///
/// ```yaml
/// chat:
///   - platform: feishu                                    # or lark: the same, with Lark's API host
///     app_id: cli_a1b2c3d4e5f6a7b8
///     app_secret_file: /etc/steward/feishu-app-secret
///     encrypt_key_file: /etc/steward/feishu-encrypt-key   # signs and encrypts events (recommended)
///     verification_token_file: /etc/steward/feishu-token  # checked when given
///     path: /feishu/events                                # the request URL's path
/// ```
/// `run` fetches the tenant token and the bot's `open_id` (with backoff until Feishu accepts the app's
/// credentials; a refusal shows on `/healthz` as `credentials refused: <Feishu's msg>`), then hands received
/// commands to the engine.
public struct FeishuConnection: ChatConnection {
    public struct Settings: Sendable {
        public var name: String
        /// `feishu` or `lark`: the prefix of identities (`feishu:ou_...`).
        public var platform: String
        public var appID: String
        public var appSecret: String
        public var encryptKey: String?
        public var verificationToken: String?
        public var path: String
        /// The open API host, without a trailing `/`.
        public var apiURL: String

        public init(
            name: String, platform: String = "feishu", appID: String, appSecret: String, encryptKey: String?, verificationToken: String?,
            path: String, apiURL: String
        ) {
            self.name = name
            self.platform = platform
            self.appID = appID
            self.appSecret = appSecret
            self.encryptKey = encryptKey
            self.verificationToken = verificationToken
            self.path = path
            self.apiURL = apiURL
        }
    }

    public let settings: Settings
    public let health: ChatHealthMonitor
    let adapter: FeishuAdapter
    let inbox = ChatInbox()
    let bot = NIOLockedValueBox<String?>(nil)
    let logger: Logger
    /// Where refused event requests are counted (`entry="feishu"` or `"lark"`).
    let metrics: ControllerMetrics
    let now: @Sendable () -> Date

    public var name: String { settings.name }

    public init(
        settings: Settings, http: HTTPClient = .shared, logger: Logger, metrics: ControllerMetrics = ControllerMetrics(),
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.settings = settings
        self.metrics = metrics
        self.health = ChatHealthMonitor(name: settings.name, platform: settings.platform, now: now)
        let client = FeishuOpenAPI(
            configuration: .init(baseURL: settings.apiURL, appID: settings.appID, appSecret: settings.appSecret),
            http: http, health: health, now: now, sleep: sleep)
        self.adapter = FeishuAdapter(platform: settings.platform, client: client, logger: logger)
        self.logger = logger
        self.now = now
    }

    public var routePaths: [String] { [settings.path] }

    public func registerRoutes(on router: Router<APIRequestContext>) {
        let bot = self.bot
        let inbox = self.inbox
        FeishuEventsEndpoint(
            platform: settings.platform, encryptKey: settings.encryptKey, verificationToken: settings.verificationToken,
            botOpenID: { bot.withLockedValue { $0 } }, health: health, logger: logger, metrics: metrics, now: now,
            handler: { inbox.deliver($0) }
        ).register(on: router, path: settings.path)
    }

    public func run(engine: ChatEngine) async {
        var backoff = ReconnectBackoff()
        while !Task.isCancelled {
            do {
                let openID = try await adapter.client.botOpenID()
                bot.withLockedValue { $0 = openID }
                await health.connected()
                logger.info("Feishu connection ready", metadata: ["chat.connection": "\(name)", "feishu.bot": "\(openID)"])
                break
            } catch {
                let wait = Duration.milliseconds(backoff.next())
                logger.warning("Feishu bot info failed; retrying", metadata: [
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

/// Only names and hosts: the settings hold the app secret and keys.
extension FeishuConnection.Settings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "FeishuConnection.Settings(name: \(name), platform: \(platform), app_id: \(appID), path: \(path), api_url: \(apiURL))"
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "platform": platform, "appID": appID, "path": path, "apiURL": apiURL])
    }
}
