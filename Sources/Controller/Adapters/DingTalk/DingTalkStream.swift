import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import NIOCore
import StewardProtocol

/// DingTalk's Stream mode: the robot dials out to DingTalk over a WebSocket, so no public callback URL.
///
/// Each session: `connections/open` gives an endpoint and a single-use ticket; DingTalk then pushes frames.
/// SYSTEM `ping`s are answered with the same message id and data; a SYSTEM `disconnect` ends the session and a new
/// ticket is opened at once; a robot message is queued for the engine, then acknowledged (a message the full inbox
/// cannot take is left unacknowledged, so DingTalk redelivers it; the engine's `msgId` dedupe makes any redelivery
/// harmless, across reconnects and restarts). Lost sessions are reopened with backoff and jitter; refused
/// credentials show as `credentials refused: <DingTalk's reason>`.
struct DingTalkStream: Sendable {
    /// Robot messages are a few kilobytes; far larger is a fault.
    static let maxFrameBytes = 1 << 20

    let gateway: DingTalkGateway
    let health: ChatHealthMonitor
    let logger: Logger
    /// Hands a robot message on without blocking; false when it cannot be taken now (DingTalk will redeliver).
    let accept: @Sendable (DingTalkCallback) -> Bool

    /// How a session ended.
    enum Ending: Equatable {
        /// DingTalk asked us to reconnect: open a new ticket at once.
        case refresh
        /// The socket closed or failed.
        case lost
    }

    func run() async {
        var backoff = ReconnectBackoff(baseMilliseconds: 1000, capMilliseconds: 120_000)
        while !Task.isCancelled {
            let ending: Ending
            do {
                let ticket = try await gateway.open()
                let outcome = try await session(url: ticket.url)
                if outcome.opened { backoff.reset() }
                ending = outcome.ending
            } catch is CancellationError {
                return
            } catch let error as DingTalkError where error.code == .credentialsRefused {
                await health.authFailed(error.message)
                logger.error("DingTalk refused the client id and secret", metadata: ["chat.platform": "dingtalk", "error": "\(error)"])
                ending = .lost
            } catch {
                await health.disconnected("\(error)")
                logger.warning("DingTalk Stream session failed", metadata: ["chat.platform": "dingtalk", "error": "\(error)"])
                ending = .lost
            }
            if ending == .lost, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(backoff.next()))
            }
        }
    }

    /// One WebSocket session: how it ended, and whether it opened (a session that opened resets the backoff).
    func session(url: String) async throws -> (ending: Ending, opened: Bool) {
        let state = NIOLockedValueBox<(ending: Ending?, opened: Bool)>((nil, false))
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: Self.maxFrameBytes, autoPing: .enabled(timePeriod: .seconds(30)), validateUTF8: true)
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            state.withLockedValue { $0.opened = true }
            await health.connected()
            for try await message in inbound.messages(maxSize: Self.maxFrameBytes) {
                guard case .text(let text) = message else { continue }
                let frame: DingTalkStreamFrame
                do throws(DingTalkError) {
                    frame = try DingTalkStreamFrame.parse(text)
                } catch {
                    logger.warning("ignored a malformed DingTalk Stream frame", metadata: ["chat.platform": "dingtalk", "reason": "\(error.message)"])
                    continue
                }
                switch frame.action() {
                case .reply(let answer):
                    try await outbound.writeTextMessage(answer)
                case .deliver(let callback, let ack):
                    await health.eventReceived()
                    guard accept(callback) else {
                        logger.warning("chat inbox full; DingTalk will redeliver", metadata: ["chat.platform": "dingtalk"])
                        continue
                    }
                    try await outbound.writeTextMessage(ack)
                case .reconnect(let reason):
                    logger.info("DingTalk asked to reconnect", metadata: ["chat.platform": "dingtalk", "reason": "\(reason)"])
                    state.withLockedValue { $0.ending = .refresh }
                    try await outbound.close(.normalClosure, reason: nil)
                    return
                case .ignore(let reason, let ack):
                    logger.warning("ignored a DingTalk Stream frame", metadata: ["chat.platform": "dingtalk", "reason": "\(reason)"])
                    if let ack { try await outbound.writeTextMessage(ack) }
                case .skip(let topic):
                    logger.debug("DingTalk Stream notice", metadata: ["chat.platform": "dingtalk", "dingtalk.topic": "\(topic)"])
                }
            }
        }
        let outcome = state.withLockedValue { $0 }
        let ending = outcome.ending ?? .lost
        if ending == .lost { await health.disconnected("the DingTalk Stream connection closed") }
        return (ending, outcome.opened)
    }
}
