import AsyncHTTPClient
import Logging
import StewardProtocol

/// A Rocket.Chat server connection from `controller.yaml`: messages over the Realtime API, replies over REST.
///
/// ```yaml
/// chat:
///   - platform: rocketchat
///     server: https://chat.example.com
///     user_id: aobEdbYhXfu5hkeqG                      # the bot account's id, shown with its token
///     token_file: /etc/steward/rocketchat-token      # a personal access token (or token_env)
/// ```
/// `run` checks the token with `GET /api/v1/me` (the bot's id and username; a refused token shows on `/healthz`
/// with Rocket.Chat's reason), then keeps a DDP session open at `<server>/websocket`: `connect`, `login` with the
/// token as resume token, `sub` to `stream-room-messages` / `__my_messages__`. Messages that address the bot go to
/// the engine, the message id being the event id; a lost or refused session reconnects with backoff and jitter.
/// Rocket.Chat does not replay messages missed while disconnected: a command sent during an outage must be
/// repeated (the connection shows as disconnected meanwhile).
public struct RocketChatConnection: ChatConnection {
    /// Reconnect pacing; tests shorten it.
    struct Timing: Sendable {
        var reconnect = ReconnectBackoff(baseMilliseconds: 500, capMilliseconds: 60_000)
        /// A refused token is not fixed by hammering the server: retry, but slowly.
        var refused = ReconnectBackoff(baseMilliseconds: 5_000, capMilliseconds: 300_000)
        /// A session that is not subscribed by then is closed and opened again.
        var handshakeTimeout: Duration = .seconds(30)
    }

    static let maxFrameBytes = 1 << 20
    /// Messages read from the socket but not yet screened; beyond it they are dropped with a warning.
    static let incomingCapacity = 256

    public let settings: Settings
    public let health: ChatHealthMonitor
    public let adapter: RocketChatAdapter
    let logger: Logger
    let timing: Timing

    public var name: String { settings.name }
    var client: RocketChatClient { adapter.client }

    public init(settings: Settings, http: HTTPClient = .shared, logger: Logger) {
        self.init(settings: settings, http: http, logger: logger, timing: Timing())
    }

    init(settings: Settings, http: HTTPClient = .shared, logger: Logger, timing: Timing) {
        self.settings = settings
        self.health = ChatHealthMonitor(name: settings.name, platform: "rocketchat")
        let client = RocketChatClient(
            configuration: .init(serverURL: settings.serverURL, userID: settings.userID, token: settings.token), http: http,
            health: health)
        self.adapter = RocketChatAdapter(client: client, maxMessageLength: settings.maxMessageLength)
        self.logger = logger
        self.timing = timing
    }

    public func run(engine: ChatEngine) async {
        await run { message, adapter in await engine.handle(message, via: adapter) }
    }

    /// Receives until cancelled, handing each command to `handler` (the engine, or a test's recorder), concurrently,
    /// so one long job does not hold up the next command.
    public func run(handler: @escaping @Sendable (ChatMessage, any ChatAdapter) async -> Void) async {
        guard let bot = await whoAmI() else { return }
        let (incoming, continuation) = AsyncStream.makeStream(
            of: RocketChatMessage.self, bufferingPolicy: .bufferingOldest(Self.incomingCapacity))
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    await receive(into: continuation)
                    continuation.finish()
                }
                group.addTask { await dispatch(incoming, bot: bot, handler: handler) }
            }
        } onCancel: {
            continuation.finish()
        }
        await health.disconnected("stopped")
    }

    /// The bot's account, retried with backoff until the server accepts the token; nil when cancelled.
    func whoAmI() async -> RocketChatClient.Me? {
        var backoff = timing.reconnect
        var refusedBackoff = timing.refused
        while !Task.isCancelled {
            let wait: Int64
            do throws(RocketChatError) {
                let me = try await client.me()
                if me.id == settings.userID {
                    logger.info("Rocket.Chat account checked", metadata: metadata(["rocketchat.user": "\(me.id)"]))
                    return me
                }
                let reason = "the token belongs to user \(RocketChatText.shown(me.id)), not to user_id \(settings.userID)"
                await health.authFailed(reason)
                logger.error("Rocket.Chat token refused", metadata: metadata(["error": "\(reason)"]))
                wait = refusedBackoff.next()
            } catch {
                // A 401 is already in health as refused credentials, with the server's reason.
                logger.warning("Rocket.Chat /api/v1/me failed; retrying", metadata: metadata(["error": "\(error)"]))
                wait = error.code == .unauthorized ? refusedBackoff.next() : backoff.next()
            }
            try? await Task.sleep(for: .milliseconds(wait))
        }
        return nil
    }

    /// Screens streamed messages in order (dedupe, room type) and hands commands on.
    func dispatch(
        _ incoming: AsyncStream<RocketChatMessage>, bot: RocketChatClient.Me,
        handler: @escaping @Sendable (ChatMessage, any ChatAdapter) async -> Void
    ) async {
        var inbound = RocketChatInbound(bot: bot, names: settings.names, prefix: settings.prefix, rooms: settings.rooms)
        var roomTypes = RocketChatRoomTypes()
        let adapter = self.adapter
        await withDiscardingTaskGroup { group in
            for await message in incoming {
                if let skip = inbound.screen(message) {
                    skipped(message, skip)
                    continue
                }
                let isDirect = await isDirect(message.roomID, cache: &roomTypes)
                guard inbound.allows(roomID: message.roomID, isDirect: isDirect) else {
                    skipped(message, .outsideListedRooms)
                    continue
                }
                guard let command = inbound.command(message, isDirect: isDirect) else { continue }
                inbound.handed(message)
                group.addTask { await handler(command, adapter) }
            }
        }
    }

    /// From the cache, else `rooms.info` (remembered); a failed lookup counts as a channel (a mention still works).
    func isDirect(_ roomID: String, cache: inout RocketChatRoomTypes) async -> Bool {
        if let known = cache.isDirect(roomID) { return known }
        do {
            let room = try await client.roomInfo(roomID: roomID)
            cache.remember(roomID, room)
            return RocketChatRoomTypes.isDirect(room)
        } catch {
            logger.warning("Rocket.Chat rooms.info failed; treating the room as a channel",
                           metadata: metadata(["rocketchat.room": "\(roomID)", "error": "\(error)"]))
            return false
        }
    }

    func skipped(_ message: RocketChatMessage, _ skip: RocketChatInbound.Skip) {
        if case .malformed(let reason) = skip {
            logger.warning("ignored a malformed Rocket.Chat message", metadata: metadata(["reason": "\(reason)"]))
        } else {
            logger.debug("ignored a Rocket.Chat message", metadata: metadata(["reason": "\(skip)", "rocketchat.message": "\(message.id)"]))
        }
    }

    func metadata(_ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        extra.merging(["chat.connection": "\(name)", "chat.platform": "rocketchat"]) { first, _ in first }
    }
}
