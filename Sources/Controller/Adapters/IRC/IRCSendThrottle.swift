/// Paces the bot's messages so the server never disconnects it for flooding: a token bucket of `burst`
/// messages refilled at one per `interval` (as the generic cell rate algorithm, which needs one instant of state).
///
/// Pure: callers pass the time, so tests drive it with made-up instants and the driver with the clock.
struct IRCSendThrottle: Sendable {
    let interval: Duration
    let burst: Int
    /// When the bucket would be full again if nothing else were sent ("theoretical arrival time").
    private var fullAt: ContinuousClock.Instant?

    init(interval: Duration, burst: Int) {
        precondition(interval >= .zero && burst >= 1)
        self.interval = interval
        self.burst = burst
    }

    /// Takes a token for one message to be sent at `now`; returns how long to wait before sending it.
    mutating func reserve(at now: ContinuousClock.Instant) -> Duration {
        let tolerance = interval * (burst - 1)
        let full = max(fullAt ?? now, now)
        let sendAt = max(now, full - tolerance)
        fullAt = full + interval
        return sendAt - now
    }
}
