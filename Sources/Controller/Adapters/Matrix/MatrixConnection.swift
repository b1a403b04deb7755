import AsyncHTTPClient
import Logging
import StewardProtocol

/// A Matrix account the bot uses, from `controller.yaml`, receiving over `/sync` long-polls.
///
/// ```yaml
/// chat:
///   - platform: matrix
///     homeserver: https://matrix.example.org
///     user_id: "@steward:example.org"
///     access_token_file: /etc/steward/matrix-token    # or access_token_env
///     rooms: ["!abc:example.org"]                     # optional; else every joined room
///     join_on_invite: false                           # accept every invite (only without rooms)
/// ```
/// `run` checks the token (`whoami`), then syncs until cancelled: the position is saved after each batch is
/// handled (so a restart neither replays nor loses a command; the engine's event-id dedupe covers a crash
/// in between), the first sync without a saved position only records where "now" is, and failures
/// reconnect with jittered backoff while `/healthz` shows why.
public struct MatrixConnection: ChatConnection {
    public let settings: Settings
    public let health: ChatHealthMonitor
    public let adapter: MatrixAdapter
    let cursor: MatrixSyncCursor
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void

    public var name: String { settings.name }
    var client: MatrixClient { adapter.client }

    public init(
        settings: Settings, http: HTTPClient = .shared, logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.settings = settings
        self.health = ChatHealthMonitor(name: settings.name, platform: "matrix")
        self.adapter = MatrixAdapter(client: MatrixClient(
            configuration: .init(homeserver: settings.homeserver, accessToken: settings.accessToken), http: http, health: health,
            sleep: sleep))
        self.cursor = MatrixSyncCursor(directory: settings.stateDirectory, homeserver: settings.homeserver, userID: settings.userID)
        self.logger = logger
        self.sleep = sleep
    }

    public func run(engine: ChatEngine) async {
        await run { message, adapter in await engine.handle(message, via: adapter) }
    }

    /// Syncs until cancelled, handing each addressed message to `handler` (the engine, or a test's recorder).
    public func run(handler: @escaping @Sendable (ChatMessage, any ChatAdapter) async -> Void) async {
        var state = SyncState()
        var backoff = ReconnectBackoff()
        // A refused token is not fixed by hammering the homeserver: retry, but slowly.
        var refusedBackoff = ReconnectBackoff(baseMilliseconds: 5_000, capMilliseconds: 300_000)
        while !Task.isCancelled {
            do {
                try await syncOnce(&state, handler: handler)
                backoff.reset()
                refusedBackoff.reset()
            } catch let error as MatrixError {
                let wait = await failed(error, state: &state, backoff: &backoff, refusedBackoff: &refusedBackoff)
                do { try await sleep(wait) } catch { break }
            } catch {
                break  // cancelled
            }
        }
        await health.disconnected("stopped")
    }

    /// Records a failed step in health and the log; returns how long to wait before the next try.
    func failed(
        _ error: MatrixError, state: inout SyncState, backoff: inout ReconnectBackoff, refusedBackoff: inout ReconnectBackoff
    ) async -> Duration {
        state.live = false
        var metadata: Logger.Metadata = ["chat.connection": "\(name)", "chat.platform": "matrix", "error": "\(error)"]
        let wait: Duration
        switch error.code {
        case .authFailed:
            state.bot = nil  // check the token with whoami again before syncing
            await health.disconnected(error.message)
            await health.authFailed(error.errcode ?? error.message)
            wait = .milliseconds(refusedBackoff.next(floorMilliseconds: 5_000))
            metadata["retry_in"] = "\(wait)"
            logger.error("the Matrix homeserver refused the access token; the bot cannot hear or answer until it is replaced", metadata: metadata)
            return wait
        case .rateLimited:
            await health.callFailed(error.description)
            wait = min(error.retryAfter ?? .milliseconds(backoff.next()), .seconds(60))
        default:
            await health.disconnected(error.description)
            wait = .milliseconds(backoff.next())
        }
        metadata["retry_in"] = "\(wait)"
        logger.warning("Matrix sync failed; retrying", metadata: metadata)
        return wait
    }
}
