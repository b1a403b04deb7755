/// Paces the messages one connection may have handled: a token bucket of `burst` messages refilled at
/// `perSecond`. A peer within the rate never waits; a faster one waits before each batch, so its
/// connection is read at the rate and TCP pushes back on it. Nothing it sent is dropped.
///
/// Owned by the connection's reader task alone, so it needs no lock.
struct InboundPacer {
    let perSecond: Double
    let burst: Double
    /// Tokens a waiting peer gets back before it is read again (50 ms worth): one sleep per batch,
    /// not one per message.
    private let batch: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    init(perSecond: Int, burst: Int, now: ContinuousClock.Instant) {
        precondition(perSecond > 0 && burst > 0)
        self.perSecond = Double(perSecond)
        self.burst = Double(burst)
        self.batch = min(Double(burst), max(1, Double(perSecond) / 20))
        self.tokens = Double(burst)
        self.updated = now
    }

    /// Charges one message received at `now`; returns how long to wait before handling it (zero: at once).
    mutating func charge(now: ContinuousClock.Instant) -> Duration {
        let elapsed = now - updated
        updated = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(burst, tokens + max(0, seconds) * perSecond) - 1
        guard tokens < 0 else { return .zero }
        return .microseconds(Int64(((batch - tokens) / perSecond * 1_000_000).rounded(.up)))
    }
}
