import Foundation

/// A snapshot of one chat connection's health, for `/healthz` and `steward status`.
///
/// A bot that lost its token or its socket must show as unhealthy with the reason, never as a silent, deaf bot.
public struct ChatHealth: Sendable, Hashable {
    /// The connection's name in `controller.yaml` (`slack`, `ops-matrix`, ...).
    public var name: String
    public var platform: String
    /// True while the platform can reach us: a live socket or sync loop, or an HTTP endpoint that is serving.
    public var connected: Bool
    /// When the last authenticated event arrived.
    public var lastEventAt: Date?
    /// When the platform last accepted one of our calls.
    public var lastSuccessfulCallAt: Date?
    /// The platform's reason for refusing our credentials (`invalid_auth`, `M_UNKNOWN_TOKEN`, SASL failure); nil while accepted.
    public var authFailure: String?
    /// Inbound requests refused by signature or token checks (forgeries, replays, a wrong secret).
    public var rejectedRequests: Int
    /// Times the connection was re-established after a loss.
    public var reconnects: Int
    /// The last failure, for the operator.
    public var lastError: String?

    public init(
        name: String, platform: String, connected: Bool = false, lastEventAt: Date? = nil, lastSuccessfulCallAt: Date? = nil,
        authFailure: String? = nil, rejectedRequests: Int = 0, reconnects: Int = 0, lastError: String? = nil
    ) {
        self.name = name
        self.platform = platform
        self.connected = connected
        self.lastEventAt = lastEventAt
        self.lastSuccessfulCallAt = lastSuccessfulCallAt
        self.authFailure = authFailure
        self.rejectedRequests = rejectedRequests
        self.reconnects = reconnects
        self.lastError = lastError
    }

    public var isHealthy: Bool { connected && authFailure == nil }

    /// One line for logs and the CLI: `healthy`, or what is wrong.
    public var summary: String {
        if let authFailure { return "credentials refused: \(authFailure)" }
        if !connected { return "disconnected" + (lastError.map { ": \($0)" } ?? "") }
        return "healthy"
    }
}

/// Collects ``ChatHealth`` from one connection's parts (its socket loop, its HTTP client, its endpoint).
public actor ChatHealthMonitor {
    private var health: ChatHealth
    private var hasBeenConnected: Bool
    private let now: @Sendable () -> Date

    /// - Parameter connected: the initial state; HTTP-only endpoints are connected as soon as they serve.
    public init(name: String, platform: String, connected: Bool = false, now: @escaping @Sendable () -> Date = { Date() }) {
        self.health = ChatHealth(name: name, platform: platform, connected: connected)
        self.hasBeenConnected = connected
        self.now = now
    }

    public var snapshot: ChatHealth { health }

    public func eventReceived() {
        health.lastEventAt = now()
    }

    public func requestRejected() {
        health.rejectedRequests += 1
    }

    /// A call was accepted: the credentials work, whatever failed before.
    public func callSucceeded() {
        health.lastSuccessfulCallAt = now()
        health.authFailure = nil
    }

    public func callFailed(_ reason: String) {
        health.lastError = reason
    }

    /// The platform refused our credentials; stays unhealthy until a call succeeds again.
    public func authFailed(_ reason: String) {
        health.authFailure = reason
        health.lastError = reason
    }

    public func connected() {
        // Only a connection that was up before counts: calls made while first connecting (a token check) do not.
        if !health.connected, hasBeenConnected { health.reconnects += 1 }
        hasBeenConnected = true
        health.connected = true
        health.lastSuccessfulCallAt = now()
        health.authFailure = nil
    }

    public func disconnected(_ reason: String) {
        health.connected = false
        health.lastError = reason
    }
}
