import NIOCore

/// The agent's view of its session with the controller, as a pure state machine.
public struct ControllerSessionStateMachine: Sendable {
    public enum Action: Sendable, Equatable {
        case none
        case send(StewardMessage)
        /// The controller accepted us; session messages may flow.
        case established(Wire.Welcome)
        case deliver(StewardMessage)
        /// Close and reconnect after at least `after` (from GoAway), or the normal backoff when nil.
        case close(error: ProtocolError?, reconnectAfter: TimeAmount?)
    }

    private enum State: Sendable {
        case idle
        case awaitingWelcome(since: NIODeadline)
        case active(version: UInt32, policy: HeartbeatPolicy, heartbeat: HeartbeatTracker)
        case closed
    }

    private var state: State = .idle
    private let handshake: HeartbeatPolicy

    public init(heartbeat: HeartbeatPolicy = .default) {
        self.handshake = heartbeat
    }

    public var isActive: Bool {
        if case .active = state { return true }
        return false
    }

    public mutating func start(hello: Wire.Hello, now: NIODeadline) -> Action {
        guard case .idle = state else { preconditionFailure("start() called twice") }
        var hello = hello
        hello.minVersion = ProtocolVersion.minimum
        hello.maxVersion = ProtocolVersion.maximum
        state = .awaitingWelcome(since: now)
        return .send(.hello(hello))
    }

    public mutating func received(_ message: StewardMessage, now: NIODeadline) -> Action {
        switch state {
        case .idle, .closed:
            return .none
        case .awaitingWelcome:
            switch message {
            case .welcome(let welcome):
                guard (ProtocolVersion.minimum...ProtocolVersion.maximum).contains(welcome.version) else {
                    return close(.versionMismatch, "controller chose version \(welcome.version)")
                }
                let interval = welcome.heartbeatIntervalMs > 0
                    ? TimeAmount.milliseconds(Int64(welcome.heartbeatIntervalMs)) : handshake.interval
                let policy = HeartbeatPolicy(
                    interval: interval, missedBeats: handshake.missedBeats, handshakeTimeout: handshake.handshakeTimeout)
                state = .active(version: welcome.version, policy: policy, heartbeat: HeartbeatTracker(now: now))
                return .established(welcome)
            default:
                return common(message, phase: "handshake")
            }
        case .active(let version, let policy, var tracker):
            tracker.heard(at: now)
            state = .active(version: version, policy: policy, heartbeat: tracker)
            switch message {
            case .ping(let ping):
                var pong = Wire.Pong()
                pong.nonce = ping.nonce
                return .send(.pong(pong))
            case .pong:
                return .none
            case .jobOffer, .cancel, .outputAck, .resultAck, .certificateRenewed:
                return .deliver(message)
            default:
                return common(message, phase: "session")
            }
        }
    }

    public mutating func timerFired(now: NIODeadline) -> Action {
        switch state {
        case .idle, .closed:
            return .none
        case .awaitingWelcome(let since):
            guard now - since >= handshake.handshakeTimeout else { return .none }
            return close(.handshakeTimeout, "no Welcome within \(handshake.handshakeTimeout)")
        case .active(let version, let policy, var tracker):
            let decision = tracker.tick(now: now, policy: policy)
            state = .active(version: version, policy: policy, heartbeat: tracker)
            switch decision {
            case .wait:
                return .none
            case .ping(let nonce):
                var ping = Wire.Ping()
                ping.nonce = nonce
                return .send(.ping(ping))
            case .peerSilent:
                return close(.heartbeatTimeout, "controller silent for \(policy.silenceLimit)")
            }
        }
    }

    private mutating func common(_ message: StewardMessage, phase: String) -> Action {
        switch message {
        case .goAway(let goAway):
            state = .closed
            return .close(error: nil, reconnectAfter: .milliseconds(Int64(goAway.retryAfterMs)))
        case .error(let error):
            let code: ProtocolError.Code = error.code == .versionMismatch ? .versionMismatch : .peerError
            return close(code, "controller refused: \(error.message)")
        default:
            return close(.unexpectedMessage, "controller sent \(message.name) during the \(phase)")
        }
    }

    private mutating func close(_ code: ProtocolError.Code, _ reason: String) -> Action {
        state = .closed
        return .close(error: ProtocolError(code, reason), reconnectAfter: nil)
    }
}
