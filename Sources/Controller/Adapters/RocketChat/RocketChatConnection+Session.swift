import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import StewardProtocol

extension RocketChatConnection {
    /// How a Realtime API session went, for the reconnect pacing and for health.
    struct SessionOutcome: Sendable {
        var subscribed = false
        var credentialsRefused = false
        var reason: String?
    }

    /// Keeps a Realtime API session open until cancelled, yielding streamed messages to `continuation`.
    func receive(into continuation: AsyncStream<RocketChatMessage>.Continuation) async {
        var backoff = timing.reconnect
        var refusedBackoff = timing.refused
        while !Task.isCancelled {
            let outcome = await session(into: continuation)
            if Task.isCancelled { return }
            let reason = outcome.reason ?? "the Realtime API connection closed"
            await health.disconnected(reason)
            logger.warning("Rocket.Chat Realtime API session ended; reconnecting", metadata: metadata(["error": "\(reason)"]))
            if outcome.subscribed {
                backoff.reset()
                refusedBackoff.reset()
            }
            let wait = outcome.credentialsRefused ? refusedBackoff.next() : backoff.next()
            do { try await Task.sleep(for: .milliseconds(wait)) } catch { return }
        }
    }

    /// One WebSocket session, driven by ``RocketChatRealtime``.
    func session(into continuation: AsyncStream<RocketChatMessage>.Continuation) async -> SessionOutcome {
        let outcome = NIOLockedValueBox(SessionOutcome())
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: Self.maxFrameBytes, autoPing: .enabled(timePeriod: .seconds(30)), validateUTF8: true)
        do {
            try await WebSocketClient.connect(url: client.webSocketURL, configuration: configuration, logger: logger) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try? await Task.sleep(for: timing.handshakeTimeout)
                        guard !Task.isCancelled, !outcome.withLockedValue({ $0.subscribed }) else { return }
                        outcome.withLockedValue { $0.reason = "not subscribed within \(timing.handshakeTimeout) of connecting" }
                        try? await outbound.close(.goingAway, reason: nil)
                    }
                    defer { group.cancelAll() }
                    try await converse(inbound: inbound, outbound: outbound, outcome: outcome, continuation: continuation)
                }
            }
        } catch {
            outcome.withLockedValue { $0.reason = $0.reason ?? "\(error)" }
        }
        return outcome.withLockedValue { $0 }
    }

    private func converse(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, outcome: NIOLockedValueBox<SessionOutcome>,
        continuation: AsyncStream<RocketChatMessage>.Continuation
    ) async throws {
        var machine = RocketChatRealtime(token: settings.token)
        try await outbound.writeTextMessage(machine.opened())
        for try await message in inbound.messages(maxSize: Self.maxFrameBytes) {
            guard case .text(let text) = message else {
                logger.warning("ignored a binary Realtime API frame", metadata: metadata())
                continue
            }
            let frame: RocketChatDDPFrame
            do throws(RocketChatError) {
                frame = try RocketChatDDPFrame.parse(text)
            } catch {
                logger.warning("ignored a malformed Realtime API frame", metadata: metadata(["reason": "\(error.message)"]))
                continue
            }
            switch machine.received(frame) {
            case .send(let reply):
                try await outbound.writeTextMessage(reply)
            case .subscribed:
                outcome.withLockedValue { $0.subscribed = true }
                await health.connected()
                logger.info("Rocket.Chat Realtime API subscribed", metadata: metadata())
            case .deliver(let streamed):
                await health.eventReceived()
                if case .dropped = continuation.yield(streamed) {
                    logger.warning("too many Rocket.Chat messages waiting; one was dropped", metadata: metadata())
                }
            case .refuseCredentials(let reason):
                outcome.withLockedValue {
                    $0.credentialsRefused = true
                    $0.reason = "login refused: \(reason)"
                }
                await health.authFailed(reason)
                try await outbound.close(.normalClosure, reason: nil)
                return
            case .close(let reason):
                outcome.withLockedValue { $0.reason = reason }
                try await outbound.close(.normalClosure, reason: nil)
                return
            case .log(let reason):
                logger.warning("Rocket.Chat Realtime API: \(reason)", metadata: metadata())
            case .none:
                continue
            }
        }
    }
}
