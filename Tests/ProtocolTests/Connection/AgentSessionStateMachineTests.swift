import NIOCore
import StewardProtocol
import StewardProtocolTestUtils
import Testing

@Suite struct AgentSessionStateMachineTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let policy = HeartbeatPolicy(interval: .seconds(10), missedBeats: 3, handshakeTimeout: .seconds(5))

    func hello(min: UInt32 = 1, max: UInt32 = 1) -> Wire.Hello {
        var hello = Wire.Hello()
        hello.minVersion = min
        hello.maxVersion = max
        hello.bootID = "boot"
        return hello
    }

    func activeMachine() -> AgentSessionStateMachine {
        var machine = AgentSessionStateMachine(peer: .agent(id: "agt_1"), now: start, heartbeat: policy)
        _ = machine.received(.hello(hello()), now: start)
        _ = machine.authorized(now: start, serverTimeMilliseconds: 0)
        return machine
    }

    @Test(arguments: SampleMessages.all.filter { $0.name != "EnrollRequest" })
    func anonymousPeerMayOnlyEnroll(message: StewardMessage) {
        var machine = AgentSessionStateMachine(peer: .anonymous, now: start, heartbeat: policy)
        guard case .close(let error, let farewell) = machine.received(message, now: start) else {
            Issue.record("\(message.name) from an anonymous peer was not refused")
            return
        }
        #expect(error?.code == .unauthenticated)
        #expect(farewell == .error(.unauthenticated, "a client certificate is required for \(message.name)"))
        #expect(machine.isClosed)
    }

    @Test func anonymousEnrollRequestIsHandedToEnrollment() {
        var machine = AgentSessionStateMachine(peer: .anonymous, now: start, heartbeat: policy)
        var request = Wire.EnrollRequest()
        request.name = "web-01"
        #expect(machine.received(.enrollRequest(request), now: start) == .enroll(request))
        let response = Wire.EnrollResponse()
        #expect(machine.enrolled(response) == .close(error: nil, farewell: .enrollResponse(response)))
    }

    @Test func certifiedPeerMustOpenWithHello() {
        var machine = AgentSessionStateMachine(peer: .agent(id: "agt_1"), now: start, heartbeat: policy)
        guard case .close(let error, _) = machine.received(.ping(Wire.Ping()), now: start) else {
            Issue.record("expected close")
            return
        }
        #expect(error?.code == .unexpectedMessage)
    }

    @Test func helloIsAuthorizedThenWelcomed() {
        var machine = AgentSessionStateMachine(peer: .agent(id: "agt_1"), now: start, heartbeat: policy)
        #expect(machine.received(.hello(hello()), now: start) == .authorize(agentID: "agt_1", hello: hello(), version: 1))
        #expect(machine.activeAgentID == nil, "nothing is active before the registry says yes")
        guard case .send(.welcome(let welcome)) = machine.authorized(now: start, serverTimeMilliseconds: 77) else {
            Issue.record("expected Welcome")
            return
        }
        #expect(welcome.agentID == "agt_1")
        #expect(welcome.version == 1)
        #expect(welcome.heartbeatIntervalMs == 10_000)
        #expect(welcome.serverTimeMs == 77)
        #expect(machine.activeAgentID == "agt_1")
    }

    @Test(arguments: [(UInt32(2), UInt32(5)), (UInt32(0), UInt32(0))])
    func versionMismatchEndsWithClearError(range: (UInt32, UInt32)) {
        var machine = AgentSessionStateMachine(peer: .agent(id: "agt_1"), now: start, heartbeat: policy)
        guard case .close(let error, .error(let farewell)?) = machine.received(.hello(hello(min: range.0, max: range.1)), now: start)
        else {
            Issue.record("expected close with an Error message")
            return
        }
        #expect(error?.code == .versionMismatch)
        #expect(farewell.code == .versionMismatch)
        #expect(farewell.message.contains("\(range.0)...\(range.1)"))
    }

    @Test func refusedAgentGetsReasonAndClose() {
        var machine = AgentSessionStateMachine(peer: .agent(id: "agt_1"), now: start, heartbeat: policy)
        _ = machine.received(.hello(hello()), now: start)
        #expect(machine.refused(code: .revoked, reason: "agent revoked")
            == .close(error: ProtocolError(.unauthenticated, "agent revoked"), farewell: .error(.revoked, "agent revoked")))
    }

    @Test func handshakeTimesOut() {
        var machine = AgentSessionStateMachine(peer: .anonymous, now: start, heartbeat: policy)
        #expect(machine.timerFired(now: start + .seconds(4)) == .none)
        guard case .close(let error, _) = machine.timerFired(now: start + .seconds(5)) else {
            Issue.record("expected handshake timeout")
            return
        }
        #expect(error?.code == .handshakeTimeout)
    }

    @Test func heartbeatTable() {
        var machine = activeMachine()
        #expect(machine.timerFired(now: start + .seconds(9)) == .none)
        #expect(machine.timerFired(now: start + .seconds(10)) == .send(.ping(pingWith(nonce: 1))))
        #expect(machine.timerFired(now: start + .seconds(15)) == .none)
        #expect(machine.timerFired(now: start + .seconds(20)) == .send(.ping(pingWith(nonce: 2))))
        // A pong at 21 s keeps it alive past the 30 s mark, and puts off the next ping to 31 s.
        #expect(machine.received(.pong(Wire.Pong()), now: start + .seconds(21)) == .none)
        #expect(machine.timerFired(now: start + .seconds(30)) == .none, "heard 9 s ago: no ping yet")
        #expect(machine.timerFired(now: start + .seconds(31)) == .send(.ping(pingWith(nonce: 3))))
        #expect(machine.timerFired(now: start + .seconds(41)) == .send(.ping(pingWith(nonce: 4))))
        #expect(machine.timerFired(now: start + .seconds(50)) == .none)
        guard case .close(let error, nil) = machine.timerFired(now: start + .seconds(51)) else {
            Issue.record("agent silent for 30 s must be dropped")
            return
        }
        #expect(error?.code == .heartbeatTimeout)
    }

    /// Pings are for idle sessions: an agent that keeps talking is never pinged, and its own pings
    /// (answered) keep ours away too, so an idle session carries one ping and one pong per interval.
    @Test func aPeerHeardWithinTheIntervalIsNotPinged() {
        var machine = activeMachine()
        for second in stride(from: 5, through: 120, by: 5) {
            let now = start + .seconds(Int64(second))
            if second % 10 == 5 {
                #expect(machine.received(.ping(pingWith(nonce: UInt64(second))), now: now) == .send(.pong(pongWith(nonce: UInt64(second)))))
            }
            #expect(machine.timerFired(now: now) == .none, "at \(second) s")
        }
        // Then silence: the first ping one interval after the last message heard (115 s).
        #expect(machine.nextTimerDeadline == start + .seconds(125))
        #expect(machine.timerFired(now: start + .seconds(125)) == .send(.ping(pingWith(nonce: 1))))
    }

    /// The deadline a caller may sleep until: ticking only then gives the same pings and timeouts as
    /// ticking every second.
    @Test func nextTimerDeadlineIsWhenTheTimerNextMatters() {
        var anonymous = AgentSessionStateMachine(peer: .anonymous, now: start, heartbeat: policy)
        #expect(anonymous.nextTimerDeadline == start + .seconds(5), "the handshake deadline")
        _ = anonymous.received(.enrollRequest(Wire.EnrollRequest()), now: start)
        #expect(anonymous.nextTimerDeadline == nil, "enrolling: no timer")

        var machine = activeMachine()
        #expect(machine.nextTimerDeadline == start + .seconds(10), "the first ping")
        #expect(machine.timerFired(now: start + .seconds(10)) == .send(.ping(pingWith(nonce: 1))))
        #expect(machine.nextTimerDeadline == start + .seconds(20))
        #expect(machine.timerFired(now: start + .seconds(20)) == .send(.ping(pingWith(nonce: 2))))
        // The next ping and the silence limit (last heard at the start) are both due at 30 s.
        #expect(machine.nextTimerDeadline == start + .seconds(30))
        _ = machine.received(.pong(Wire.Pong()), now: start + .seconds(25))
        #expect(machine.nextTimerDeadline == start + .seconds(35), "heard at 25 s: the next ping one interval later")
        #expect(machine.timerFired(now: start + .seconds(35)) == .send(.ping(pingWith(nonce: 3))))
        #expect(machine.nextTimerDeadline == start + .seconds(45))
        #expect(machine.timerFired(now: start + .seconds(45)) == .send(.ping(pingWith(nonce: 4))))
        #expect(machine.nextTimerDeadline == start + .seconds(55), "heard at 25 s: silent from 55 s")
        guard case .close(let error, nil) = machine.timerFired(now: start + .seconds(55)) else {
            Issue.record("silent for 30 s at its deadline")
            return
        }
        #expect(error?.code == .heartbeatTimeout)
        #expect(machine.nextTimerDeadline == nil)
    }

    @Test func answersPingWithSameNonce() {
        var machine = activeMachine()
        #expect(machine.received(.ping(pingWith(nonce: 9)), now: start) == .send(.pong(pongWith(nonce: 9))))
    }

    @Test func deliversSessionMessages() {
        for message in SampleMessages.all where ["JobAccepted", "JobRejected", "Output", "JobResult", "FactsUpdate", "RenewCertificate"].contains(message.name) {
            var machine = activeMachine()
            #expect(machine.received(message, now: start) == .deliver(message))
        }
    }

    @Test func controllerOnlyMessagesFromAgentAreViolations() {
        for message in SampleMessages.all where ["Hello", "Welcome", "JobOffer", "ResultAck", "Cancel", "EnrollRequest"].contains(message.name) {
            var machine = activeMachine()
            guard case .close(let error, _) = machine.received(message, now: start) else {
                Issue.record("\(message.name) accepted from agent")
                continue
            }
            #expect(error?.code == .unexpectedMessage)
        }
    }
}

func pingWith(nonce: UInt64) -> Wire.Ping {
    var ping = Wire.Ping()
    ping.nonce = nonce
    return ping
}

func pongWith(nonce: UInt64) -> Wire.Pong {
    var pong = Wire.Pong()
    pong.nonce = nonce
    return pong
}
