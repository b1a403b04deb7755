import NIOCore
import StewardProtocol
import Testing

/// Drives the agent's and the controller's state machines against each other through real frames,
/// delivering the bytes one at a time.
@Suite struct SessionPairTests {
    let start = NIODeadline.uptimeNanoseconds(0)

    @Test func handshakeAndHeartbeatAcrossBothMachines() throws {
        var agent = ControllerSessionStateMachine()
        var controller = AgentSessionStateMachine(peer: .agent(id: "agt_7"), now: start)
        var toController = ByteBuffer()
        var toAgent = ByteBuffer()
        var controllerDecoder = StewardMessageDecoder()
        var agentDecoder = StewardMessageDecoder()

        guard case .send(let hello) = agent.start(hello: Wire.Hello(), now: start) else {
            Issue.record("agent did not send Hello")
            return
        }
        try MessageCodec.encode(hello, into: &toController)

        let received = try dripFeed(&toController, into: &controllerDecoder)
        #expect(received.count == 1)
        guard case .authorize(let id, _, let version) = controller.received(received[0], now: start) else {
            Issue.record("controller did not ask to authorize")
            return
        }
        #expect(id == "agt_7" && version == 1)
        guard case .send(let welcome) = controller.authorized(now: start, serverTimeMilliseconds: 1) else {
            Issue.record("no Welcome")
            return
        }
        try MessageCodec.encode(welcome, into: &toAgent)
        let atAgent = try dripFeed(&toAgent, into: &agentDecoder)
        guard case .established(let w) = agent.received(atAgent[0], now: start) else {
            Issue.record("agent not established")
            return
        }
        #expect(w.agentID == "agt_7")
        #expect(agent.isActive)

        // Controller pings after one interval; the agent answers; the controller stays up.
        guard case .send(let ping) = controller.timerFired(now: start + .seconds(10)) else {
            Issue.record("no ping")
            return
        }
        try MessageCodec.encode(ping, into: &toAgent)
        let pingAtAgent = try dripFeed(&toAgent, into: &agentDecoder)
        guard case .send(let pong) = agent.received(pingAtAgent[0], now: start + .seconds(10)) else {
            Issue.record("no pong")
            return
        }
        try MessageCodec.encode(pong, into: &toController)
        let pongAtController = try dripFeed(&toController, into: &controllerDecoder)
        #expect(controller.received(pongAtController[0], now: start + .seconds(11)) == .none)
        #expect(controller.timerFired(now: start + .seconds(35)) != .close(error: ProtocolError(.heartbeatTimeout, ""), farewell: nil))
        #expect(controller.activeAgentID == "agt_7")
    }

    @Test func agentHonoursGoAwayRetryAfter() {
        var agent = ControllerSessionStateMachine()
        _ = agent.start(hello: Wire.Hello(), now: start)
        #expect(agent.received(.goAway(reason: "restart", retryAfterMilliseconds: 1500), now: start)
            == .close(error: nil, reconnectAfter: .milliseconds(1500)))
    }

    @Test func agentRejectsVersionTheControllerCannotChoose() {
        var agent = ControllerSessionStateMachine()
        _ = agent.start(hello: Wire.Hello(), now: start)
        var welcome = Wire.Welcome()
        welcome.version = 9
        guard case .close(let error, nil) = agent.received(.welcome(welcome), now: start) else {
            Issue.record("expected close")
            return
        }
        #expect(error?.code == .versionMismatch)
    }

    @Test func agentDropsSilentController() {
        var agent = ControllerSessionStateMachine(heartbeat: HeartbeatPolicy(interval: .seconds(10), missedBeats: 3))
        _ = agent.start(hello: Wire.Hello(), now: start)
        var welcome = Wire.Welcome()
        welcome.version = 1
        welcome.heartbeatIntervalMs = 2000
        _ = agent.received(.welcome(welcome), now: start)
        #expect(agent.timerFired(now: start + .seconds(2)) == .send(.ping(pingWith(nonce: 1))))
        guard case .close(let error, nil) = agent.timerFired(now: start + .seconds(6)) else {
            Issue.record("expected heartbeat timeout after 3 × 2 s")
            return
        }
        #expect(error?.code == .heartbeatTimeout)
    }

    @Test func agentTimesOutWaitingForWelcome() {
        var agent = ControllerSessionStateMachine(heartbeat: HeartbeatPolicy(handshakeTimeout: .seconds(3)))
        _ = agent.start(hello: Wire.Hello(), now: start)
        #expect(agent.timerFired(now: start + .seconds(2)) == .none)
        guard case .close(let error, _) = agent.timerFired(now: start + .seconds(3)) else {
            Issue.record("expected timeout")
            return
        }
        #expect(error?.code == .handshakeTimeout)
    }

    @Test func agentDeliversJobOffersOnlyOnceActive() {
        var agent = ControllerSessionStateMachine()
        _ = agent.start(hello: Wire.Hello(), now: start)
        guard case .close(let error, _) = agent.received(.jobOffer(Wire.JobOffer()), now: start) else {
            Issue.record("offer before Welcome must close")
            return
        }
        #expect(error?.code == .unexpectedMessage)
    }

    private func dripFeed(_ bytes: inout ByteBuffer, into decoder: inout StewardMessageDecoder) throws -> [StewardMessage] {
        var pending = ByteBuffer()
        var messages: [StewardMessage] = []
        while let byte = bytes.readInteger(as: UInt8.self) {
            pending.writeInteger(byte)
            while let message = try decoder.decode(buffer: &pending) { messages.append(message) }
        }
        return messages
    }
}
