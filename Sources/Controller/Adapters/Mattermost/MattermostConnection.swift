import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import StewardProtocol

/// A Mattermost server connection from `controller.yaml`: events over the WebSocket API, replies over REST.
///
/// ```yaml
/// chat:
///   - platform: mattermost
///     server_url: https://mattermost.example.com
///     token_file: /etc/steward/mattermost-bot-token   # a bot account's access token
///     names: [steward]                                # also answers to @<bot username>
/// ```
/// `run` checks the token with `users/me` (the bot's id and username), then keeps a WebSocket open (Bearer
/// header), handing `posted` events that address the bot to the engine; the post id is the event id.
/// A reconnect resumes the stream (`connection_id`, `sequence_number`), so posts made during a short outage
/// are replayed by the server; after a long one (or a server restart) they are lost, which is logged.
/// Slash commands use `platform: webhook, style: slack`.
public struct MattermostConnection: ChatConnection {
    public struct Settings: Sendable {
        public var name: String
        public var serverURL: String
        public var token: String
        public var names: [String]
        public var prefix: String
    }

    static let maxFrameBytes = 1 << 20

    public let settings: Settings
    public let health: ChatHealthMonitor
    let client: MattermostClient
    let inbox = ChatInbox()
    let logger: Logger

    public var name: String { settings.name }

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.health = ChatHealthMonitor(name: settings.name, platform: "mattermost")
        self.client = MattermostClient(serverURL: settings.serverURL, token: settings.token, health: health)
        self.logger = logger
    }

    public static func settings(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> Settings {
        let names = try entry.strings("names")
        let settings = Settings(
            name: entry.name, serverURL: try entry.url("server_url"), token: try entry.secret("token"),
            names: names.isEmpty ? ["steward"] : names, prefix: try entry.string("prefix", default: "!"))
        try entry.finish()
        return settings
    }

    public func run(engine: ChatEngine) async {
        guard let bot = await whoAmI() else { return }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await receive(bot: bot) }
                group.addTask { await inbox.run(engine: engine, adapter: MattermostAdapter(client: client)) }
            }
        } onCancel: {
            inbox.finish()
        }
    }

    /// The bot's account, retried with backoff until the server accepts the token; nil when cancelled.
    func whoAmI() async -> MattermostClient.User? {
        var backoff = ReconnectBackoff(baseMilliseconds: 1000, capMilliseconds: 120_000)
        while !Task.isCancelled {
            do {
                return try await client.me()
            } catch {
                logger.warning("Mattermost users/me failed; retrying", metadata: ["chat.connection": "\(name)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(backoff.next()))
            }
        }
        return nil
    }

    /// Keeps the event WebSocket open until cancelled.
    func receive(bot: MattermostClient.User) async {
        var backoff = ReconnectBackoff(baseMilliseconds: 500, capMilliseconds: 60_000)
        let resume = NIOLockedValueBox(MattermostResume())
        while !Task.isCancelled {
            let greeted = NIOLockedValueBox(false)
            var resetBackoff = true
            do {
                try await session(bot: bot, greeted: greeted, resume: resume)
                await health.disconnected("the Mattermost WebSocket closed")
            } catch {
                await health.disconnected("\(error)")
                logger.warning("Mattermost WebSocket failed", metadata: ["chat.connection": "\(name)", "error": "\(error)"])
                // A server that keeps skipping sequence numbers must not be redialled at full speed.
                resetBackoff = !(error is SequenceGap)
            }
            if resetBackoff, greeted.withLockedValue({ $0 }) { backoff.reset() }
            if !Task.isCancelled { try? await Task.sleep(for: .milliseconds(backoff.next())) }
        }
    }

    struct SequenceGap: Error, CustomStringConvertible {
        var expected: Int
        var got: Int
        var description: String { "missed events (expected seq \(expected), got \(got)): reconnecting to have them replayed" }
    }

    func session(bot: MattermostClient.User, greeted: NIOLockedValueBox<Bool>, resume: NIOLockedValueBox<MattermostResume>) async throws {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(settings.token)"
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: Self.maxFrameBytes, additionalHeaders: headers, autoPing: .enabled(timePeriod: .seconds(30)), validateUTF8: true)
        let settings = self.settings
        let url = resume.withLockedValue { $0.query }.map { client.webSocketURL + "?" + $0 } ?? client.webSocketURL
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, _, _ in
            // Upgraded with the Bearer token: authenticated. A resumed stream sends no new `hello`.
            greeted.withLockedValue { $0 = true }
            await health.connected()
            for try await frame in inbound.messages(maxSize: Self.maxFrameBytes) {
                guard case .text(let text) = frame, let event = MattermostEvent.parse(text) else { continue }
                let hello = event.event == "hello" ? event.data?.connectionID : nil
                switch resume.withLockedValue({ $0.received(sequence: event.seq, helloConnectionID: hello) }) {
                case .accept:
                    break
                case .acceptAfterLoss:
                    logger.warning("Mattermost could not replay the events missed while disconnected; commands sent meanwhile must be repeated",
                                   metadata: ["chat.connection": "\(settings.name)"])
                case .reconnect(let expected, let got):
                    throw SequenceGap(expected: expected, got: got)
                }
                switch event.event {
                case "posted":
                    await health.eventReceived()
                    guard let message = event.chatMessage(
                        botID: bot.id, botUsername: bot.username, names: settings.names, prefix: settings.prefix)
                    else { continue }
                    if !inbox.deliver(message) {
                        logger.warning("chat inbox full; a Mattermost command was dropped", metadata: ["chat.connection": "\(settings.name)"])
                    }
                default:
                    continue
                }
            }
        }
    }
}
