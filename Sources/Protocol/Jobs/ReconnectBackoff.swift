/// Full-jitter exponential backoff: a random delay in [0, min(cap, base * 2^attempt)].
public struct ReconnectBackoff: Sendable {
    public var baseMilliseconds: Int64
    public var capMilliseconds: Int64
    private(set) var attempt: Int = 0

    public init(baseMilliseconds: Int64 = 500, capMilliseconds: Int64 = 60_000) {
        precondition(baseMilliseconds > 0 && capMilliseconds >= baseMilliseconds)
        self.baseMilliseconds = baseMilliseconds
        self.capMilliseconds = capMilliseconds
    }

    /// The upper bound for the next delay.
    public var currentCeiling: Int64 {
        let shift = min(attempt, 30)
        return min(capMilliseconds, baseMilliseconds << shift)
    }

    /// Next delay, drawn from `generator`; a `GoAway` floor is honoured on top of the jitter.
    public mutating func next<G: RandomNumberGenerator>(using generator: inout G, floorMilliseconds: Int64 = 0) -> Int64 {
        let ceiling = currentCeiling
        attempt += 1
        let jittered = Int64.random(in: 0...ceiling, using: &generator)
        return max(jittered, floorMilliseconds)
    }

    public mutating func next(floorMilliseconds: Int64 = 0) -> Int64 {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator, floorMilliseconds: floorMilliseconds)
    }

    /// A session that lasted is a success: start again from the base.
    public mutating func reset() { attempt = 0 }
}
