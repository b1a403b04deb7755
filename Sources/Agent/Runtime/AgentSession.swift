#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore
import StewardProtocol

/// One connection's life: Hello → Welcome → session messages, until either side closes it.
///
/// Drives `ControllerSessionStateMachine`: inbound messages and a 1-second timer become events,
/// handled one at a time; the actions are carried out here. Outgoing messages go through one
/// queue drained by a writer task, so the supervisor can send without waiting on the socket.
struct AgentSession {
    /// How the connection ended, for the reconnect loop.
    struct Outcome: Sendable {
        /// How long the session was established (zero when Welcome never came).
        var establishedFor: Duration = .zero
        var wasEstablished = false
        /// A GoAway's retry-after, a floor for the next backoff delay.
        var reconnectAfter: TimeAmount?
        /// Why it ended; nil for an orderly close (GoAway).
        var reason: String?
        /// The controller's own refusal (revoked, unauthenticated, version mismatch), if it sent one.
        var controllerError: Wire.ErrorMessage?
    }

    private enum Event: Sendable {
        case received(StewardMessage)
        case timerFired
        case inboundEnded((any Error)?)
    }

    let channel: ControllerChannel
    let hello: Wire.Hello
    let supervisor: JobSupervisor
    let renewal: CertificateRenewal?
    let heartbeat: HeartbeatPolicy
    let now: @Sendable () -> Int64
    let logger: Logger

    func run() async -> Outcome {
        do {
            return try await channel.executeThenClose { inbound, outbound in
                // Unbounded but bounded in practice: outgoing by the jobs' output caps and
                // concurrency limit, incoming by an authenticated controller's frame limit and the
                // driver, which never blocks for long.
                let (outgoing, queue) = AsyncStream<StewardMessage>.makeStream()
                let (events, sink) = AsyncStream<Event>.makeStream()
                return await withTaskGroup(of: Void.self) { writers in
                    writers.addTask {
                        do {
                            for await message in outgoing { try await outbound.write(message) }
                        } catch {
                            // The reader sees the same broken connection and ends the session.
                        }
                    }
                    let outcome = await withTaskGroup(of: Void.self) { sources in
                        sources.addTask {
                            do {
                                for try await message in inbound { sink.yield(.received(message)) }
                                sink.yield(.inboundEnded(nil))
                            } catch {
                                sink.yield(.inboundEnded(error))
                            }
                        }
                        sources.addTask {
                            while (try? await Task.sleep(for: .seconds(1))) != nil { sink.yield(.timerFired) }
                        }
                        let outcome = await drive(events, queue: queue)
                        sources.cancelAll()
                        return outcome
                    }
                    queue.finish()
                    await writers.waitForAll()
                    return outcome
                }
            }
        } catch {
            return Outcome(reason: "connection failed: \(error)")
        }
    }

    private func drive(_ events: AsyncStream<Event>, queue: AsyncStream<StewardMessage>.Continuation) async -> Outcome {
        var machine = ControllerSessionStateMachine(heartbeat: heartbeat)
        var driver = Driver(queue: queue)
        if let outcome = await perform(machine.start(hello: hello, now: .now()), &driver) {
            return await finish(outcome, driver)
        }
        for await event in events {
            let outcome: Outcome?
            switch event {
            case .received(let message):
                if case .error(let error) = message { driver.controllerError = error }
                outcome = await perform(machine.received(message, now: .now()), &driver)
            case .timerFired:
                outcome = await perform(machine.timerFired(now: .now()), &driver)
                if outcome == nil, machine.isActive { requestRenewalIfDue(&driver) }
            case .inboundEnded(let error):
                outcome = Outcome(reason: error.map { "connection lost: \($0)" } ?? "the controller closed the connection")
            }
            if let outcome { return await finish(outcome, driver) }
        }
        return await finish(Outcome(reason: "session ended"), driver)
    }

    /// Mutable state of one drive, kept apart from the immutable session settings.
    private struct Driver {
        let queue: AsyncStream<StewardMessage>.Continuation
        var generation: Int?
        var establishedAt: ContinuousClock.Instant?
        var controllerError: Wire.ErrorMessage?
        var renewalRequested = false
        /// Next time (wall clock ms) the certificate's age is looked at; hourly is plenty.
        var renewalCheckAt: Int64 = .min
    }

    /// Carries out one action; returns an outcome when the session is over.
    private func perform(_ action: ControllerSessionStateMachine.Action, _ driver: inout Driver) async -> Outcome? {
        switch action {
        case .none:
            return nil
        case .send(let message):
            driver.queue.yield(message)
            return nil
        case .established(let welcome):
            driver.establishedAt = .now
            let queue = driver.queue
            driver.generation = await supervisor.connected(send: { queue.yield($0) })
            logger.info("session established", metadata: ["agent.id": "\(welcome.agentID)", "protocol.version": "\(welcome.version)"])
            requestRenewalIfDue(&driver)
            return nil
        case .deliver(.certificateRenewed(let renewed)):
            installCertificate(Array(renewed.certificateDer))
            return nil
        case .deliver(let message):
            await supervisor.handle(message)
            return nil
        case .close(let error, let reconnectAfter):
            return Outcome(reconnectAfter: reconnectAfter, reason: error.map { "\($0)" })
        }
    }

    /// Detaches the supervisor from this connection and completes the outcome.
    private func finish(_ outcome: Outcome, _ driver: Driver) async -> Outcome {
        if let generation = driver.generation {
            await supervisor.disconnected(generation: generation)
        }
        var outcome = outcome
        if let establishedAt = driver.establishedAt {
            outcome.wasEstablished = true
            outcome.establishedFor = establishedAt.duration(to: .now)
        }
        outcome.controllerError = driver.controllerError
        return outcome
    }

    private func requestRenewalIfDue(_ driver: inout Driver) {
        let time = now()
        guard let renewal, !driver.renewalRequested, time >= driver.renewalCheckAt else { return }
        driver.renewalCheckAt = time + 3_600_000
        do {
            guard try renewal.validity().renewalDue(nowMilliseconds: time) else { return }
            var request = Wire.RenewCertificate()
            request.csrDer = Data(try renewal.makeCSR())
            driver.queue.yield(.renewCertificate(request))
            driver.renewalRequested = true
            logger.info("certificate renewal requested")
        } catch {
            driver.renewalRequested = true
            logger.error("cannot prepare certificate renewal", metadata: ["error": "\(error)"])
        }
    }

    private func installCertificate(_ der: [UInt8]) {
        guard let renewal else { return }
        do {
            try renewal.install(der)
            logger.notice("certificate renewed; it is used from the next connection")
        } catch {
            logger.error("renewed certificate refused", metadata: ["error": "\(error)"])
        }
    }
}
