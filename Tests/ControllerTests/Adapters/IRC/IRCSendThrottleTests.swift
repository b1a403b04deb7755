import Testing
@testable import StewardController

/// The token bucket with made-up instants: a burst goes at once, then one line per interval.
@Suite struct IRCSendThrottleTests {
    let start = ContinuousClock.now

    @Test func aBurstGoesAtOnceThenOneLinePerInterval() {
        var throttle = IRCSendThrottle(interval: .milliseconds(500), burst: 3)
        let waits = (0..<6).map { _ in throttle.reserve(at: start) }
        #expect(waits == [.zero, .zero, .zero, .milliseconds(500), .milliseconds(1000), .milliseconds(1500)])
    }

    @Test func quietTimeRefillsTheBucketButNoMoreThanTheBurst() {
        var throttle = IRCSendThrottle(interval: .seconds(1), burst: 2)
        #expect(throttle.reserve(at: start) == .zero)
        #expect(throttle.reserve(at: start) == .zero)
        #expect(throttle.reserve(at: start) == .seconds(1))
        // Long after: a full bucket again, but only two tokens.
        let later = start + .seconds(60)
        #expect(throttle.reserve(at: later) == .zero)
        #expect(throttle.reserve(at: later) == .zero)
        #expect(throttle.reserve(at: later) == .seconds(1))
    }

    @Test func sendersWhoWaitedAsToldNeverWaitTwice() {
        var throttle = IRCSendThrottle(interval: .milliseconds(200), burst: 1)
        var now = start
        for _ in 0..<10 {
            now += throttle.reserve(at: now)
            #expect(throttle.reserve(at: now + .milliseconds(200)) == .zero)
            now += .milliseconds(200)
        }
    }

    @Test func aZeroIntervalNeverWaits() {
        var throttle = IRCSendThrottle(interval: .zero, burst: 1)
        #expect((0..<100).allSatisfy { _ in throttle.reserve(at: start) == .zero })
    }
}
