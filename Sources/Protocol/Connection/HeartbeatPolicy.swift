import NIOCore

/// Heartbeat timing shared by both ends: a ping every `interval`, offline after `missedBeats` silent intervals.
///
/// The default is 9 s so that a vanished agent is offline within 30 s: 3 × 9 s of silence, noticed at the
/// controller's next 1 s session tick. With 10 s that came to 31 s.
public struct HeartbeatPolicy: Sendable, Hashable {
    public var interval: TimeAmount
    public var missedBeats: Int
    public var handshakeTimeout: TimeAmount

    public init(interval: TimeAmount = .seconds(9), missedBeats: Int = 3, handshakeTimeout: TimeAmount = .seconds(10)) {
        precondition(interval > .zero && missedBeats > 0 && handshakeTimeout > .zero)
        self.interval = interval
        self.missedBeats = missedBeats
        self.handshakeTimeout = handshakeTimeout
    }

    /// How long a peer may stay silent before it is considered gone.
    public var silenceLimit: TimeAmount { .nanoseconds(interval.nanoseconds * Int64(missedBeats)) }

    public static let `default` = HeartbeatPolicy()
}

/// Tracks when we last heard from the peer and when we last pinged it.
///
/// A ping goes out only after a whole interval with nothing heard and nothing pinged, like an HTTP/2
/// keep-alive: any message from the peer (a job result, its own ping, a pong) proves it alive. Both ends
/// run this, so an idle session settles into one ping and one pong per interval, from whichever end's
/// timer comes first, instead of a ping and a pong from each end; a busy session sends no pings at all.
/// Silence is judged exactly as before, so a vanished peer is still detected after `silenceLimit`.
struct HeartbeatTracker: Sendable, Hashable {
    private(set) var lastHeard: NIODeadline
    private(set) var lastPingSent: NIODeadline
    private var nextNonce: UInt64 = 1

    init(now: NIODeadline) {
        self.lastHeard = now
        self.lastPingSent = now
    }

    mutating func heard(at now: NIODeadline) {
        lastHeard = max(lastHeard, now)
    }

    enum Decision: Hashable {
        case wait
        case ping(nonce: UInt64)
        case peerSilent
    }

    /// The last time the session showed life either way: a ping is due one interval after it.
    private var lastActivity: NIODeadline { max(lastPingSent, lastHeard) }

    /// The earliest time `tick` can decide anything but `.wait`: the next ping, or the silence limit.
    func nextDeadline(policy: HeartbeatPolicy) -> NIODeadline {
        min(lastActivity + policy.interval, lastHeard + policy.silenceLimit)
    }

    mutating func tick(now: NIODeadline, policy: HeartbeatPolicy) -> Decision {
        if now - lastHeard >= policy.silenceLimit { return .peerSilent }
        guard now - lastActivity >= policy.interval else { return .wait }
        lastPingSent = now
        defer { nextNonce &+= 1 }
        return .ping(nonce: nextNonce)
    }
}
