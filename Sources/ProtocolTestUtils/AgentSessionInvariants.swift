import NIOCore
import StewardProtocol

/// Drives the controller's `AgentSessionStateMachine` like `AgentConnection` does and checks that
/// nothing is granted before authentication: no delivery, ping or Welcome before the registry said
/// yes, `authorize` only for the certificate's agent id, `enroll` only for an anonymous first
/// `EnrollRequest`, every other pre-auth message closes; `close` is final; heartbeats and handshake
/// timeouts fire exactly when due.
struct AgentSessionInvariants {
    static let name = FuzzTarget.sessionStateMachines.rawValue
    static let agentID = "agt-fuzz"
    static let delivered: Set<String> = ["JobAccepted", "JobRejected", "Output", "JobResult", "FactsUpdate", "RenewCertificate"]

    let peer: AgentSessionStateMachine.Peer
    private var machine: AgentSessionStateMachine
    private let connectedAt: NIODeadline
    private var heardAnything = false
    private var closed = false
    /// Set once the shell called `authorized()`; from then on `lastHeard`/`lastPing` track the heartbeat.
    private var authorized = false
    private var lastHeard: NIODeadline
    private var lastPing: NIODeadline
    private var lastNonce: UInt64 = 0

    init(anonymous: Bool, now: NIODeadline) {
        peer = anonymous ? .anonymous : .agent(id: Self.agentID)
        machine = AgentSessionStateMachine(peer: peer, now: now)
        connectedAt = now
        lastHeard = now
        lastPing = now
    }

    mutating func received(_ message: StewardMessage, now: NIODeadline, decisions: inout FuzzInput) throws {
        let action = machine.received(message, now: now)
        guard !closed else { return try expectNone(action, after: "\(message.name) on a closed session") }
        let first = !heardAnything
        heardAnything = true
        if authorized { lastHeard = max(lastHeard, now) }

        switch action {
        case .enroll(let request):
            try expect(peer == .anonymous && first && message == .enrollRequest(request), "enroll after \(message.name) from \(peer)")
            try settle(decisions.bool() ? machine.enrolled(Wire.EnrollResponse()) : machine.refused(code: .enrollmentRefused, reason: "fuzz"))
        case .authorize(let id, let hello, let version):
            try expect(peer == .agent(id: Self.agentID) && id == Self.agentID, "authorize(\(id)) for peer \(peer)")
            try expect(first && message == .hello(hello), "authorize after \(message.name), not a first Hello")
            try expect(
                (ProtocolVersion.minimum...ProtocolVersion.maximum).contains(version) && (hello.minVersion...max(hello.minVersion, hello.maxVersion)).contains(version),
                "negotiated version \(version) outside the common range")
            try expect(machine.activeAgentID == nil, "active before the registry decided")
            if decisions.bool() {
                try welcomed(machine.authorized(now: now, serverTimeMilliseconds: 0), version: version, now: now)
            } else {
                try settle(machine.refused(code: .revoked, reason: "fuzz"))
            }
        case .deliver(let delivered):
            try expect(authorized, "delivered \(delivered.name) before authentication")
            try expect(delivered == message && Self.delivered.contains(message.name), "delivered \(delivered.name) for \(message.name)")
        case .send(let reply):
            try expect(authorized, "sent \(reply.name) before authentication")
            guard case .ping(let ping) = message, case .pong(let pong) = reply, pong.nonce == ping.nonce else {
                throw violation("answered \(message.name) with \(reply.name)")
            }
        case .none:
            try expect(authorized && message.name == "Pong", "ignored \(message.name)")
        case .close:
            try expect(authorized || !(first && opensHandshake(message)), "closed on a valid first \(message.name)")
            try settle(action)
        }
        try checkState()
    }

    mutating func timerFired(now: NIODeadline) throws {
        let action = machine.timerFired(now: now)
        guard !closed else { return try expectNone(action, after: "a timer on a closed session") }
        if !authorized {
            // The shell settles enroll and authorize at once, so only the first message can still be awaited.
            try expect(!heardAnything, "timer fired in a handshake that should have been settled")
            if now - connectedAt >= machine.heartbeat.handshakeTimeout {
                try expectClose(action, code: .handshakeTimeout)
            } else {
                try expectNone(action, after: "a timer inside the handshake timeout")
            }
        } else if now - lastHeard >= machine.heartbeat.silenceLimit {
            try expectClose(action, code: .heartbeatTimeout)
        } else if now - max(lastPing, lastHeard) >= machine.heartbeat.interval {
            guard case .send(.ping(let ping)) = action, ping.nonce > lastNonce else {
                throw violation("a ping was due, got \(action)")
            }
            lastPing = now
            lastNonce = ping.nonce
        } else {
            try expectNone(action, after: "a timer with no ping due")
        }
        try checkState()
    }

    mutating func goAway(retryAfterMilliseconds: UInt32) throws {
        guard !closed else { return }  // the shell has left its event loop by then
        let action = machine.goAway(reason: "fuzz", retryAfterMilliseconds: retryAfterMilliseconds)
        try expect(action == .close(error: nil, farewell: .goAway(reason: "fuzz", retryAfterMilliseconds: retryAfterMilliseconds)), "goAway gave \(action)")
        try settle(action)
    }

    /// The first messages a handshake must accept: `EnrollRequest` without a certificate, `Hello` with a common version.
    private func opensHandshake(_ message: StewardMessage) -> Bool {
        switch (peer, message) {
        case (.anonymous, .enrollRequest): true
        case (.agent, .hello(let hello)): ProtocolVersion.negotiate(peerMinimum: hello.minVersion, peerMaximum: hello.maxVersion) != nil
        default: false
        }
    }

    private mutating func welcomed(_ action: AgentSessionStateMachine.Action, version: UInt32, now: NIODeadline) throws {
        guard case .send(.welcome(let welcome)) = action, welcome.agentID == Self.agentID, welcome.version == version else {
            throw violation("authorized() gave \(action)")
        }
        authorized = true
        lastHeard = now
        lastPing = now
    }

    private mutating func settle(_ action: AgentSessionStateMachine.Action) throws {
        guard case .close = action else { throw violation("expected close, got \(action)") }
        closed = true
    }

    private mutating func expectClose(_ action: AgentSessionStateMachine.Action, code: ProtocolError.Code) throws {
        guard case .close(let error?, _) = action, error.code == code else { throw violation("expected close(\(code)), got \(action)") }
        closed = true
    }

    private func checkState() throws {
        try expect(machine.isClosed == closed, "isClosed is \(machine.isClosed), expected \(closed)")
        let expectedID = authorized && !closed ? Self.agentID : nil
        try expect(machine.activeAgentID == expectedID, "activeAgentID is \(machine.activeAgentID ?? "nil"), expected \(expectedID ?? "nil")")
    }

    private func expectNone(_ action: AgentSessionStateMachine.Action, after what: String) throws {
        try expect(action == .none, "\(action) after \(what)")
    }

    private func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        try invariant(condition, Self.name, "controller side: \(message())")
    }

    private func violation(_ message: String) -> InvariantViolation {
        InvariantViolation(Self.name, "controller side: \(message)")
    }
}
