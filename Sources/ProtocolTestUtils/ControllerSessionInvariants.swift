import NIOCore
import StewardProtocol

/// Drives the agent's `ControllerSessionStateMachine` like `AgentSession` does and checks that
/// nothing is acted on before the controller's `Welcome`: no delivery, ping or pong before it, one
/// `established` only for a Welcome with a supported version; `close` is final; GoAway's retry delay
/// is passed on; heartbeats and the handshake timeout fire exactly when due.
struct ControllerSessionInvariants {
    static let name = FuzzTarget.sessionStateMachines.rawValue
    static let delivered: Set<String> = ["JobOffer", "Cancel", "OutputAck", "ResultAck", "CertificateRenewed"]

    private var machine = ControllerSessionStateMachine()
    private let defaults = HeartbeatPolicy.default
    private let startedAt: NIODeadline
    private var closed = false
    /// The session's heartbeat policy once the Welcome arrived.
    private var policy: HeartbeatPolicy?
    private var lastHeard: NIODeadline
    private var lastPing: NIODeadline
    private var lastNonce: UInt64 = 0

    init(now: NIODeadline) throws {
        startedAt = now
        lastHeard = now
        lastPing = now
        var hello = Wire.Hello()
        hello.agentVersion = StewardVersion.current
        let action = machine.start(hello: hello, now: now)
        guard case .send(.hello(let sent)) = action,
            sent.minVersion == ProtocolVersion.minimum, sent.maxVersion == ProtocolVersion.maximum
        else { throw violation("start() gave \(action)") }
    }

    mutating func received(_ message: StewardMessage, now: NIODeadline) throws {
        let action = machine.received(message, now: now)
        guard !closed else { return try expect(action == .none, "\(action) after \(message.name) on a closed session") }
        if policy != nil { lastHeard = max(lastHeard, now) }

        switch action {
        case .established(let welcome):
            try expect(policy == nil && message == .welcome(welcome), "established by \(message.name) (already active: \(policy != nil))")
            try expect((ProtocolVersion.minimum...ProtocolVersion.maximum).contains(welcome.version), "established with version \(welcome.version)")
            let interval = welcome.heartbeatIntervalMs > 0 ? TimeAmount.milliseconds(Int64(welcome.heartbeatIntervalMs)) : defaults.interval
            policy = HeartbeatPolicy(interval: interval, missedBeats: defaults.missedBeats, handshakeTimeout: defaults.handshakeTimeout)
            lastHeard = now
            lastPing = now
        case .deliver(let delivered):
            try expect(policy != nil, "delivered \(delivered.name) before the Welcome")
            try expect(delivered == message && Self.delivered.contains(message.name), "delivered \(delivered.name) for \(message.name)")
        case .send(let reply):
            try expect(policy != nil, "sent \(reply.name) before the Welcome")
            guard case .ping(let ping) = message, case .pong(let pong) = reply, pong.nonce == ping.nonce else {
                throw violation("answered \(message.name) with \(reply.name)")
            }
        case .none:
            try expect(policy != nil && message.name == "Pong", "ignored \(message.name)")
        case .close(let error, let reconnectAfter):
            if case .goAway(let goAway) = message {
                try expect(error == nil && reconnectAfter == .milliseconds(Int64(goAway.retryAfterMs)), "GoAway closed with \(action)")
            } else {
                try expect(error != nil && reconnectAfter == nil, "\(message.name) closed with \(action)")
            }
            if case .welcome(let welcome) = message {
                try expect(policy != nil || !(ProtocolVersion.minimum...ProtocolVersion.maximum).contains(welcome.version), "refused a Welcome with a supported version")
            }
            closed = true
        }
        try expect(machine.isActive == (policy != nil && !closed), "isActive is \(machine.isActive)")
    }

    mutating func timerFired(now: NIODeadline) throws {
        let action = machine.timerFired(now: now)
        guard !closed else { return try expect(action == .none, "\(action) after a timer on a closed session") }
        guard let policy else {
            if now - startedAt >= defaults.handshakeTimeout {
                try expectClose(action, code: .handshakeTimeout)
            } else {
                try expect(action == .none, "\(action) after a timer inside the handshake timeout")
            }
            return
        }
        if now - lastHeard >= policy.silenceLimit {
            try expectClose(action, code: .heartbeatTimeout)
        } else if now - max(lastPing, lastHeard) >= policy.interval {
            guard case .send(.ping(let ping)) = action, ping.nonce > lastNonce else { throw violation("a ping was due, got \(action)") }
            lastPing = now
            lastNonce = ping.nonce
        } else {
            try expect(action == .none, "\(action) after a timer with no ping due")
        }
        try expect(machine.isActive == !closed, "isActive is \(machine.isActive) after a timer")
    }

    private mutating func expectClose(_ action: ControllerSessionStateMachine.Action, code: ProtocolError.Code) throws {
        guard case .close(let error?, nil) = action, error.code == code else { throw violation("expected close(\(code)), got \(action)") }
        closed = true
    }

    private func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        try invariant(condition, Self.name, "agent side: \(message())")
    }

    private func violation(_ message: String) -> InvariantViolation {
        InvariantViolation(Self.name, "agent side: \(message)")
    }
}
