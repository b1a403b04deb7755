/// Decides when a progress edit may go out: at most one per interval, and the final state always.
///
/// Chat platforms rate-limit edits (Slack about one per second per channel); a job on 500 hosts
/// must not turn into 500 edits.
public struct EditCoalescer: Sendable {
    public let interval: Duration
    private var lastSent: ContinuousClock.Instant?
    private var lastContent: ChatReply?

    public init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    /// Whether `content` should be sent now; `final` content is sent unless it is unchanged.
    public mutating func shouldSend(_ content: ChatReply, at now: ContinuousClock.Instant, final: Bool) -> Bool {
        guard content != lastContent else { return false }
        if !final, let lastSent, now - lastSent < interval { return false }
        lastSent = now
        lastContent = content
        return true
    }
}
