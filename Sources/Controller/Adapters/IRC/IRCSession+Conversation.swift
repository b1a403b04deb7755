import NIOCore
import NIOConcurrencyHelpers

extension IRCSession {
    /// What the session's loop reacts to.
    enum Event: Sendable {
        case line(ByteBuffer)
        case tick
        case lost(String)
    }

    /// What the reply sender needs from the state machine to cut lines to size.
    struct SenderView: Sendable {
        var sourceLength: Int
    }

    /// Runs the state machine over the connection: one loop owns it and takes lines, ticks and the end of
    /// the connection as events; child tasks read, tick and send replies.
    func converse(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, channel: any Channel
    ) async throws -> IRCSessionEnd {
        var machine = IRCConnectionStateMachine(configuration: settings.session, now: .now)
        let view = NIOLockedValueBox(SenderView(sourceLength: machine.sourceLength))
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        let tickInterval = self.tickInterval
        return try await withThrowingTaskGroup(of: Void.self) { group in
            defer {
                continuation.finish()
                group.cancelAll()
                channel.close(promise: nil)
            }
            group.addTask {
                do {
                    for try await line in inbound { continuation.yield(.line(line)) }
                    continuation.yield(.lost("the server closed the connection"))
                } catch {
                    continuation.yield(.lost("the connection failed: \(error)"))
                }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: tickInterval)
                    continuation.yield(.tick)
                }
            }
            var sequence = 0
            var senderStarted = false
            var actions = machine.connectionEstablished(at: .now)
            var incoming = stream.makeAsyncIterator()
            while true {
                for action in actions {
                    switch action {
                    case .send(let message):
                        do {
                            try await outbound.write(ByteBuffer(bytes: try message.serialized()))
                        } catch {
                            return .closed(reason: "cannot write to the server: \(error)")
                        }
                    case .deliver(let message):
                        sequence += 1
                        await self.events.deliver(message, "\(epoch).\(sequence)")
                    case .ready(let nick):
                        if !senderStarted {
                            senderStarted = true
                            group.addTask { try await sendReplies(outbound: outbound, view: view) }
                        }
                        await self.events.ready(nick)
                    case .reportProblem(let text):
                        await self.events.problem(text)
                    case .failAuthentication(let reason):
                        return .authenticationFailed(reason)
                    case .close(let reason):
                        return .closed(reason: reason)
                    }
                }
                let sourceLength = machine.sourceLength
                view.withLockedValue { $0.sourceLength = sourceLength }
                guard let event = await incoming.next() else { throw CancellationError() }
                switch event {
                case .line(var buffer):
                    let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                    do {
                        actions = machine.received(try IRCMessage.parse(bytes), at: .now)
                    } catch {
                        logger.debug("ignoring a malformed line from the IRC server", metadata: ["chat.connection": "\(settings.name)", "error": "\(error)"])
                        actions = []
                    }
                case .tick:
                    actions = machine.timerFired(at: .now)
                case .lost(let reason):
                    return .closed(reason: reason)
                }
            }
        }
    }

    /// Sends queued reply lines, cut to what the server can relay, paced by the throttle. A line that
    /// cannot be written goes back to the outbox for the next connection.
    private func sendReplies(outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, view: NIOLockedValueBox<SenderView>) async throws {
        var throttle = IRCSendThrottle(interval: settings.sendInterval, burst: settings.sendBurst)
        while let line = await outbox.next() {
            let sourceLength = view.withLockedValue { $0.sourceLength }
            let budget = IRCText.budget(sourceLength: sourceLength, target: line.target)
            var written = 0
            for piece in IRCText.split(line.text, maxBytes: budget) {
                let bytes: [UInt8]
                do {
                    bytes = try IRCMessage(command: "PRIVMSG", parameters: [line.target, piece]).serialized()
                } catch {
                    logger.error("dropping a reply line IRC cannot carry", metadata: ["chat.connection": "\(settings.name)", "error": "\(error)"])
                    break
                }
                do {
                    let wait = throttle.reserve(at: .now)
                    if wait > .zero { try await Task.sleep(for: wait) }
                    try await outbound.write(ByteBuffer(bytes: bytes))
                    written += 1
                } catch {
                    if written == 0 { outbox.putBack(line) }
                    throw error
                }
            }
        }
    }
}
