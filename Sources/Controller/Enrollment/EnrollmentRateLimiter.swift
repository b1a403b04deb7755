import NIOConcurrencyHelpers

/// Failed enrollments per peer address, as a token bucket each: an address may fail `failuresPerMinute`
/// times in a burst, then once per `60 / failuresPerMinute` seconds. A join token has 256 bits, so this is
/// not what makes guessing hopeless; it keeps a brute-force client from costing the controller a store
/// lookup and a log line per attempt, and makes it visible (`rate_limited`) instead.
///
/// Only failures are charged, so enrolling a whole fleet from one address runs at full speed. Memory is
/// bounded: at most `maxTracked` addresses are remembered, and an address whose bucket has refilled is
/// the same as one never seen, so it is the first to be forgotten.
final class EnrollmentRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let failuresPerMinute: Int
    let maxTracked: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])

    init(failuresPerMinute: Int, maxTracked: Int = 10_000, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        precondition(failuresPerMinute > 0 && maxTracked > 0)
        self.failuresPerMinute = failuresPerMinute
        self.maxTracked = maxTracked
        self.now = now
    }

    private var capacity: Double { Double(failuresPerMinute) }
    private var refillPerSecond: Double { Double(failuresPerMinute) / 60 }

    /// Nil when `address` may try to enroll; else how long until it may.
    func delay(for address: String) -> Duration? {
        let now = self.now()
        return buckets.withLockedValue { buckets in
            guard let bucket = buckets[address] else { return nil }
            let tokens = refilled(bucket, at: now)
            guard tokens < 1 else { return nil }
            return .milliseconds(Int64(((1 - tokens) / refillPerSecond * 1000).rounded(.up)))
        }
    }

    /// Charges one failed attempt to `address`. Returns true when that used up its budget, so the caller
    /// logs the moment an address starts being limited, not every refusal after it.
    func recordFailure(_ address: String) -> Bool {
        let now = self.now()
        return buckets.withLockedValue { buckets in
            var tokens = buckets[address].map { refilled($0, at: now) } ?? capacity
            if buckets[address] == nil, buckets.count >= maxTracked { forgetOne(&buckets, at: now) }
            tokens = max(0, tokens - 1)
            buckets[address] = Bucket(tokens: tokens, updated: now)
            return tokens < 1
        }
    }

    /// Addresses remembered now (for tests: state stays bounded).
    var trackedCount: Int { buckets.withLockedValue { $0.count } }

    private func refilled(_ bucket: Bucket, at now: ContinuousClock.Instant) -> Double {
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(capacity, bucket.tokens + max(0, seconds) * refillPerSecond)
    }

    /// Makes room for a new address: drops every refilled bucket, or else the one closest to refilled.
    private func forgetOne(_ buckets: inout [String: Bucket], at now: ContinuousClock.Instant) {
        let before = buckets.count
        buckets = buckets.filter { refilled($0.value, at: now) < capacity }
        guard buckets.count == before,
              let fullest = buckets.max(by: { refilled($0.value, at: now) < refilled($1.value, at: now) })
        else { return }
        buckets[fullest.key] = nil
    }
}
