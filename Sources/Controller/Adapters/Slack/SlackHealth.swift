import Foundation

/// A snapshot of the Slack adapter's health, for `/healthz` and `steward status`.
public struct SlackHealth: Sendable, Hashable {
    /// When the last verified event arrived.
    public var lastEventAt: Date?
    /// When Slack last accepted a Web API call.
    public var lastSuccessfulCallAt: Date?
    /// Slack's reason for refusing the bot token (`invalid_auth`, `token_revoked`, ...); nil while accepted.
    public var authFailure: String?
    /// Requests to the events endpoint that failed signature checks (forgeries, replays, a wrong secret).
    public var rejectedRequests: Int
    /// The last Web API failure, for the operator.
    public var lastError: String?

    public init(
        lastEventAt: Date? = nil, lastSuccessfulCallAt: Date? = nil, authFailure: String? = nil, rejectedRequests: Int = 0,
        lastError: String? = nil
    ) {
        self.lastEventAt = lastEventAt
        self.lastSuccessfulCallAt = lastSuccessfulCallAt
        self.authFailure = authFailure
        self.rejectedRequests = rejectedRequests
        self.lastError = lastError
    }

    /// A revoked or wrong token makes the bot mute: report that as unhealthy, never as fine.
    public var isHealthy: Bool { authFailure == nil }
}

/// Collects ``SlackHealth`` from the events endpoint and the Web API client.
public actor SlackHealthMonitor {
    private var health = SlackHealth()
    private let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    public var snapshot: SlackHealth { health }

    func eventReceived() {
        health.lastEventAt = now()
    }

    func requestRejected() {
        health.rejectedRequests += 1
    }

    func callSucceeded() {
        health.lastSuccessfulCallAt = now()
        health.authFailure = nil
    }

    func callFailed(_ error: SlackError) {
        health.lastError = error.description
        if error.code == .authFailed { health.authFailure = error.slackError ?? error.message }
    }
}
