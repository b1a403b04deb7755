import NIOCore

/// The controller's view of one agent connection, as a pure state machine.
///
/// A connection without a client certificate may send exactly one `EnrollRequest`; anything else
/// closes it. A connection with a certificate must open with `Hello`; the controller then checks the
/// agent in its registry (`authorize`) before any session message is acted on.
public struct AgentSessionStateMachine: Sendable {
    /// Who the TLS layer says the peer is.
    public enum Peer: Sendable, Hashable {
        case anonymous
        case agent(id: String)
    }

    /// What the connection shell must do next.
    public enum Action: Sendable, Equatable {
        case none
        case send(StewardMessage)
        case enroll(Wire.EnrollRequest)
        case authorize(agentID: String, hello: Wire.Hello, version: UInt32)
        case deliver(StewardMessage)
        /// Write `farewell` if present, then close. `error` is nil for an orderly close.
        case close(error: ProtocolError?, farewell: StewardMessage?)
    }

    private enum State: Sendable {
        case awaitingFirstMessage(Peer, since: NIODeadline)
        case enrolling
        case authorizing(agentID: String, version: UInt32, since: NIODeadline)
        case active(agentID: String, heartbeat: HeartbeatTracker)
        case closed
    }

    private var state: State
    public let heartbeat: HeartbeatPolicy

    public init(peer: Peer, now: NIODeadline, heartbeat: HeartbeatPolicy = .default) {
        self.state = .awaitingFirstMessage(peer, since: now)
        self.heartbeat = heartbeat
    }

    /// The authenticated agent id once the session is active.
    public var activeAgentID: String? {
        if case .active(let id, _) = state { return id }
        return nil
    }

    public var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    public mutating func received(_ message: StewardMessage, now: NIODeadline) -> Action {
        switch state {
        case .awaitingFirstMessage(.anonymous, _):
            guard case .enrollRequest(let request) = message else {
                return close(.unauthenticated, "a client certificate is required for \(message.name)", wire: .unauthenticated)
            }
            state = .enrolling
            return .enroll(request)

        case .awaitingFirstMessage(.agent(let id), _):
            guard case .hello(let hello) = message else {
                return close(.unexpectedMessage, "expected Hello, got \(message.name)", wire: .protocolViolation)
            }
            guard let version = ProtocolVersion.negotiate(peerMinimum: hello.minVersion, peerMaximum: hello.maxVersion) else {
                return close(
                    .versionMismatch,
                    "agent speaks versions \(hello.minVersion)...\(hello.maxVersion), controller \(ProtocolVersion.minimum)...\(ProtocolVersion.maximum)",
                    wire: .versionMismatch
                )
            }
            state = .authorizing(agentID: id, version: version, since: now)
            return .authorize(agentID: id, hello: hello, version: version)

        case .enrolling, .authorizing:
            return close(.unexpectedMessage, "\(message.name) before the handshake finished", wire: .protocolViolation)

        case .active(let id, var tracker):
            tracker.heard(at: now)
            state = .active(agentID: id, heartbeat: tracker)
            switch message {
            case .ping(let ping):
                var pong = Wire.Pong()
                pong.nonce = ping.nonce
                return .send(.pong(pong))
            case .pong:
                return .none
            case .jobAccepted, .jobRejected, .output, .jobResult, .factsUpdate, .renewCertificate:
                return .deliver(message)
            case .goAway:
                state = .closed
                return .close(error: nil, farewell: nil)
            case .error(let error):
                state = .closed
                return .close(error: ProtocolError(.peerError, "\(error.code): \(error.message)"), farewell: nil)
            case .enrollRequest, .enrollResponse, .hello, .welcome, .jobOffer, .outputAck, .resultAck, .cancel,
                .certificateRenewed:
                return close(.unexpectedMessage, "agent sent \(message.name)", wire: .protocolViolation)
            }

        case .closed:
            return .none
        }
    }

    /// The registry accepted the agent: answer with `Welcome` and start the heartbeat.
    public mutating func authorized(now: NIODeadline, serverTimeMilliseconds: Int64) -> Action {
        guard case .authorizing(let id, let version, _) = state else {
            preconditionFailure("authorized() outside the authorizing state")
        }
        state = .active(agentID: id, heartbeat: HeartbeatTracker(now: now))
        var welcome = Wire.Welcome()
        welcome.version = version
        welcome.agentID = id
        welcome.heartbeatIntervalMs = UInt32(clamping: heartbeat.interval.nanoseconds / 1_000_000)
        welcome.serverTimeMs = serverTimeMilliseconds
        return .send(.welcome(welcome))
    }

    /// The registry or the enrollment refused the peer.
    public mutating func refused(code: Wire.ErrorCode, reason: String) -> Action {
        state = .closed
        return .close(error: ProtocolError(.unauthenticated, reason), farewell: .error(code, reason))
    }

    /// Enrollment finished: send the response, then close so the agent reconnects with its certificate.
    public mutating func enrolled(_ response: Wire.EnrollResponse) -> Action {
        guard case .enrolling = state else { preconditionFailure("enrolled() outside the enrolling state") }
        state = .closed
        return .close(error: nil, farewell: .enrollResponse(response))
    }

    /// The controller is shutting down or dropping the agent (revocation).
    public mutating func goAway(reason: String, retryAfterMilliseconds: UInt32) -> Action {
        state = .closed
        return .close(error: nil, farewell: .goAway(reason: reason, retryAfterMilliseconds: retryAfterMilliseconds))
    }

    /// The earliest time `timerFired` can do anything (a ping, a timeout); nil when no timer is needed.
    /// Calling `timerFired` earlier is harmless, so a caller may tick only from this deadline on; a
    /// message received meanwhile only moves the deadlines later.
    public var nextTimerDeadline: NIODeadline? {
        switch state {
        case .awaitingFirstMessage(_, let since), .authorizing(_, _, let since):
            since + heartbeat.handshakeTimeout
        case .active(_, let tracker):
            tracker.nextDeadline(policy: heartbeat)
        case .enrolling, .closed:
            nil
        }
    }

    public mutating func timerFired(now: NIODeadline) -> Action {
        switch state {
        case .awaitingFirstMessage(_, let since), .authorizing(_, _, let since):
            guard now - since >= heartbeat.handshakeTimeout else { return .none }
            return close(.handshakeTimeout, "no handshake within \(heartbeat.handshakeTimeout)", wire: nil)
        case .enrolling, .closed:
            return .none
        case .active(let id, var tracker):
            let decision = tracker.tick(now: now, policy: heartbeat)
            state = .active(agentID: id, heartbeat: tracker)
            switch decision {
            case .wait:
                return .none
            case .ping(let nonce):
                var ping = Wire.Ping()
                ping.nonce = nonce
                return .send(.ping(ping))
            case .peerSilent:
                return close(.heartbeatTimeout, "agent silent for \(heartbeat.silenceLimit)", wire: nil)
            }
        }
    }

    private mutating func close(_ code: ProtocolError.Code, _ reason: String, wire: Wire.ErrorCode?) -> Action {
        state = .closed
        return .close(error: ProtocolError(code, reason), farewell: wire.map { .error($0, reason) })
    }
}
