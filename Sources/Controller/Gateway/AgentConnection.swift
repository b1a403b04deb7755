import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import StewardProtocol

/// Serves one TLS connection from an agent: the pure session state machine plus the I/O around it.
struct AgentConnection {
    let channel: NIOAsyncChannel<StewardMessage, StewardMessage>
    let context: GatewayContext

    /// Messages read ahead of the session loop, at most.
    static let inboundCredit = 16
    /// Commands (offers, cancels, acks) waiting for the session loop, at most; past this the agent is
    /// not keeping up and its session is closed (its runs are offered again when it is back).
    static let commandBacklog = 1024

    private enum Event: Sendable {
        case received(StewardMessage)
        case inboundFinished(Error?)
        case tick
        case command(SessionCommand)
    }

    func run() async {
        let peerAddress = channel.channel.remoteAddress?.description ?? "unknown"
        var logger = context.logger
        logger[metadataKey: "peer"] = "\(peerAddress)"
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await serve(inbound: inbound, outbound: outbound, logger: &logger)
            }
        } catch {
            logger.debug("agent connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func serve(
        inbound: NIOAsyncChannelInboundStream<StewardMessage>,
        outbound: NIOAsyncChannelOutboundWriter<StewardMessage>,
        logger: inout Logger
    ) async throws {
        // Unbounded, yet bounded: inbound messages by the credit, commands by the backlog, ticks by the watchdog.
        let (events, sink) = AsyncStream<Event>.makeStream(bufferingPolicy: .unbounded)
        let credit = InboundCredit(limit: Self.inboundCredit)
        let backlog = CommandBacklog(limit: Self.commandBacklog)
        let writeWatch = WriteWatch()
        let sessionID = await context.registry.makeSessionID()
        var machine: AgentSessionStateMachine? = nil
        var registeredAgent: String? = nil
        var certificateSerial: String? = nil
        let connectedAt = NIODeadline.now()
        // When the session loop next needs a tick: the ticker skips this session until then, so an idle
        // agent costs one wake-up per heartbeat interval, not one per second.
        let wakeAt = NIOLockedValueBox(connectedAt + context.heartbeat.handshakeTimeout)
        // Set where a refusal is counted with its own reason, so the close that follows is not counted again.
        var refusalCounted = false
        defer {
            if let agentID = registeredAgent {
                let registry = context.registry
                Task { _ = await registry.unregister(agentID: agentID, sessionID: sessionID) }
            }
        }

        /// Every write goes through here, so the ticker can see one that is stuck.
        func write(_ message: StewardMessage) async throws {
            writeWatch.begin()
            defer { writeWatch.end() }
            try await outbound.write(message)
        }

        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                let readLogger = logger, limits = context.limits, metrics = context.metrics
                group.addTask {
                    do {
                        var pacer = InboundPacer(
                            perSecond: limits.agentMessagesPerSecond, burst: limits.agentMessageBurst, now: .now)
                        var throttled = false
                        for try await message in inbound {
                            let wait = pacer.charge(now: .now)
                            if wait > .zero {
                                if !throttled {
                                    throttled = true
                                    readLogger.warning("throttled an agent sending messages faster than allowed", metadata: [
                                        "reason": "rate_limited", "limit.per_second": "\(limits.agentMessagesPerSecond)",
                                    ])
                                    metrics.rejected(.agentGateway, .rateLimited)
                                }
                                try await Task.sleep(for: wait)
                            }
                            try await credit.acquire()
                            sink.yield(.received(message))
                        }
                        sink.yield(.inboundFinished(nil))
                    } catch {
                        sink.yield(.inboundFinished(error))
                    }
                }
                let watchLogger = logger, sessionChannel = channel.channel
                let watchdogFired = NIOLockedValueBox(false)
                let tickID = context.ticker.subscribe {
                    // A peer that stopped reading blocks the loop in a write, so the heartbeat cannot see it.
                    if let stuck = writeWatch.stuckFor(), stuck >= context.heartbeat.silenceLimit {
                        guard !watchdogFired.withLockedValue({ fired in defer { fired = true }; return fired }) else { return }
                        watchLogger.info("dropped an agent that stopped reading", metadata: [
                            "reason": "write_timeout", "write.stuck_ms": "\(stuck.nanoseconds / 1_000_000)",
                        ])
                        context.metrics.rejected(.agentGateway, .writeTimeout)
                        sessionChannel.close(promise: nil)
                        return
                    }
                    guard NIODeadline.now() >= wakeAt.withLockedValue({ $0 }) else { return }
                    sink.yield(.tick)
                }
                defer {
                    context.ticker.unsubscribe(tickID)
                    group.cancelAll()
                }

                eventLoop: for await event in events {
                    let now = NIODeadline.now()
                    var action: AgentSessionStateMachine.Action
                    // A message read from the peer holds a credit until its action is carried out.
                    var handlingMessage = false
                    switch event {
                    case .received(let message):
                        if machine == nil {
                            // The TLS handshake is complete once a message arrived: now the peer's identity is known.
                            let identity = try await context.identify(channel.channel)
                            certificateSerial = identity.certificateSerial
                            machine = AgentSessionStateMachine(peer: identity.peer, now: now, heartbeat: context.heartbeat)
                        }
                        action = machine!.received(message, now: now)
                        handlingMessage = true
                    case .inboundFinished(let error):
                        if let error {
                            logger.info("agent connection failed", metadata: ["error": "\(error)"])
                            if let reason = RejectionReason(inbound: error) { context.metrics.rejected(.agentGateway, reason) }
                        }
                        break eventLoop
                    case .tick:
                        guard machine != nil else {
                            // No message yet (a silent TCP client, or a TLS handshake that never completes): the
                            // session clock has not started, so the handshake deadline is enforced here.
                            if now - connectedAt >= context.heartbeat.handshakeTimeout {
                                logger.info("dropped a peer that sent no message", metadata: [
                                    "reason": "handshake_timeout", "peer": "\(channel.channel.remoteAddress?.description ?? "?")",
                                ])
                                context.metrics.rejected(.agentGateway, .handshakeTimeout)
                                break eventLoop
                            }
                            action = .none
                            break
                        }
                        action = machine!.timerFired(now: now)
                    case .command(.send(let message)):
                        backlog.taken()
                        action = .send(message)
                    case .command(.goAway(let reason, let retryAfter)):
                        backlog.taken()
                        guard machine != nil else { break eventLoop }
                        action = machine!.goAway(reason: reason, retryAfterMilliseconds: retryAfter)
                    }

                    // Carry out the action; some steps produce a follow-up action from the state machine.
                    while true {
                        switch action {
                        case .none:
                            break
                        case .send(let message):
                            try await write(message)
                        case .deliver(let message):
                            guard let agentID = machine?.activeAgentID else { break }
                            for reply in try await context.handleSessionMessage(message, from: agentID, logger: logger) {
                                try await write(reply)
                            }
                        case .enroll(let request):
                            do {
                                let response = try await context.enrollment.enroll(request, peer: channel.channel.remoteAddress?.ipAddress ?? "unknown")
                                action = machine!.enrolled(response)
                            } catch {
                                context.metrics.rejected(.enrollment, RejectionReason(enrollment: error))
                                refusalCounted = true
                                action = machine!.refused(code: .enrollmentRefused, reason: "\(error)")
                            }
                            continue
                        case .authorize(let agentID, let hello, _):
                            logger[metadataKey: "agent.id"] = "\(agentID)"
                            if let refusal = await context.authorize(agentID: agentID, certificateSerial: certificateSerial, hello: hello) {
                                context.metrics.rejected(.agentGateway, refusal.reason)
                                refusalCounted = true
                                if refusal.reason == .internalError {
                                    // Our fault (the store failed, e.g. a full disk), not the agent's: come back later.
                                    action = machine!.goAway(reason: refusal.message, retryAfterMilliseconds: 30_000)
                                } else {
                                    logger.warning("agent refused", metadata: ["reason": "\(refusal.message)"])
                                    action = machine!.refused(code: .revoked, reason: refusal.message)
                                }
                                continue
                            }
                            let sessionChannel = channel.channel, backlogLogger = logger, metrics = context.metrics
                            let handle = AgentSessionHandle(sessionID: sessionID, agentID: agentID) { command in
                                guard backlog.reserve() else {
                                    backlogLogger.warning("dropped an agent that fell behind its commands", metadata: [
                                        "reason": "command_backlog", "backlog.limit": "\(backlog.limit)",
                                    ])
                                    metrics.rejected(.agentGateway, .commandBacklog)
                                    sessionChannel.close(promise: nil)
                                    return false
                                }
                                if case .enqueued = sink.yield(.command(command)) { return true }
                                backlog.taken()
                                return false
                            }
                            let welcome = machine!.authorized(now: now, serverTimeMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
                            if case .send(let message) = welcome { try await write(message) }
                            await context.registry.register(handle)
                            registeredAgent = agentID
                            logger.info("agent online")
                            context.metrics.agentSessionStarted()
                            try await context.agentConnected(agentID: agentID, hello: hello)
                        case .close(let error, let farewell):
                            if let farewell { try? await write(farewell) }
                            if let error {
                                logger.info("closing agent connection", metadata: ["reason": "\(error)"])
                                if !refusalCounted, let reason = RejectionReason(closing: error) {
                                    context.metrics.rejected(.agentGateway, reason)
                                }
                            }
                            break eventLoop
                        }
                        break
                    }
                    if handlingMessage { credit.release() }
                    let next = machine.map { $0.nextTimerDeadline ?? .distantFuture } ?? connectedAt + context.heartbeat.handshakeTimeout
                    wakeAt.withLockedValue { $0 = next }
                }
            }
        } catch {
            // A write that failed (the watchdog closed the channel) or a store error: the session is over either way.
            logger.info("agent connection failed", metadata: ["error": "\(error)"])
        }
        if let agentID = registeredAgent {
            if await context.registry.unregister(agentID: agentID, sessionID: sessionID) {
                logger.info("agent offline")
                await context.agentDisconnected(agentID: agentID)
            }
            registeredAgent = nil
        }
    }
}
