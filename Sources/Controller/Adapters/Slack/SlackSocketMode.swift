import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import NIOCore
import StewardProtocol

/// Slack's Socket Mode: Slack pushes events over a WebSocket the bot dials out to, so no public request URL.
///
/// Each session: `apps.connections.open` (app token) gives a single-use `wss://` URL; Slack says `hello`,
/// then sends envelopes, each acknowledged by its `envelope_id` *before* it is handled (Slack redelivers what
/// is not acked within 3 s, and the engine's event-id dedupe makes a redelivery harmless). A `disconnect`
/// (`refresh_requested`, `warning`) ends the session and a new one is opened at once; lost sessions are
/// reopened with backoff and jitter.
struct SlackSocketMode: Sendable {
    /// Socket Mode frames are a few kilobytes; far larger is a fault.
    static let maxFrameBytes = 1 << 20

    let appClient: SlackWebClient
    let health: ChatHealthMonitor
    let logger: Logger
    /// Converts an envelope's event into a message for the engine (nil for events that are not commands).
    let message: @Sendable (SlackSocketEnvelope) -> ChatMessage?
    let deliver: @Sendable (ChatMessage) -> Bool

    /// How a session ended.
    enum Ending: Equatable {
        /// Slack asked us to reconnect (`refresh_requested`, `warning`): open a new session at once.
        case refresh
        /// The socket closed or failed.
        case lost
    }

    func run() async {
        var backoff = ReconnectBackoff(baseMilliseconds: 1000, capMilliseconds: 120_000)
        while !Task.isCancelled {
            let ending: Ending
            do {
                let url = try await appClient.openSocketConnection()
                let outcome = try await session(url: url)
                if outcome.greeted { backoff.reset() }
                ending = outcome.ending
            } catch is CancellationError {
                return
            } catch {
                await health.disconnected("\(error)")
                logger.warning("Slack Socket Mode session failed", metadata: ["chat.platform": "slack", "error": "\(error)"])
                ending = .lost
            }
            if ending == .lost, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(backoff.next()))
            }
        }
    }

    /// One WebSocket session: how it ended, and whether Slack said hello (a session that worked resets the backoff).
    func session(url: String) async throws -> (ending: Ending, greeted: Bool) {
        let state = NIOLockedValueBox<(ending: Ending?, greeted: Bool)>((nil, false))
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: Self.maxFrameBytes, autoPing: .enabled(timePeriod: .seconds(30)), validateUTF8: true)
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            for try await frame in inbound.messages(maxSize: Self.maxFrameBytes) {
                guard case .text(let text) = frame else { continue }
                let envelope: SlackSocketEnvelope
                do {
                    envelope = try SlackSocketEnvelope.parse(text)
                } catch {
                    logger.warning("ignored a malformed Socket Mode frame", metadata: ["chat.platform": "slack", "error": "\(error)"])
                    continue
                }
                // Handing over never blocks, so the ack still goes out well within Slack's 3 s; an envelope the
                // full inbox cannot take is left unacked, so Slack redelivers it rather than it being lost.
                if let chat = message(envelope), !deliver(chat) {
                    logger.warning("chat inbox full; Slack will redeliver", metadata: ["chat.platform": "slack"])
                    continue
                }
                if let id = envelope.envelopeID {
                    try await outbound.writeTextMessage(SlackSocketEnvelope.acknowledgement(id))
                }
                switch envelope.type {
                case "hello":
                    state.withLockedValue { $0.greeted = true }
                    await health.connected()
                case "disconnect":
                    logger.info("Slack asked to reconnect", metadata: ["chat.platform": "slack", "slack.reason": "\(envelope.reason ?? "?")"])
                    if envelope.reason == "link_disabled" {
                        await health.authFailed("Socket Mode is disabled for this app (link_disabled)")
                        state.withLockedValue { $0.ending = .lost }
                    } else {
                        state.withLockedValue { $0.ending = .refresh }
                    }
                    try await outbound.close(.normalClosure, reason: nil)
                    return
                default:
                    await health.eventReceived()
                }
            }
        }
        let outcome = state.withLockedValue { $0 }
        let ending = outcome.ending ?? .lost
        if ending == .lost { await health.disconnected("the Socket Mode connection closed") }
        return (ending, outcome.greeted)
    }
}

