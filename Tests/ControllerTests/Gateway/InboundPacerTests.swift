import Testing
@testable import StewardController

@Suite("Inbound message pacing")
struct InboundPacerTests {
    /// Feeds `count` messages spread evenly over `span`, sleeping as told (on a virtual clock); returns
    /// when the last one was handled.
    static func handle(_ count: Int, over span: Duration, pacer: inout InboundPacer) -> Duration {
        let start = ContinuousClock.now
        var clock = start
        for index in 0..<count {
            let arrival = start + span * (Double(index) / Double(count))
            clock = max(clock, arrival)
            clock += pacer.charge(now: clock)
        }
        return clock - start
    }

    @Test func aPeerWithinTheRateNeverWaits() {
        var pacer = InboundPacer(perSecond: 1_000, burst: 2_000, now: .now)
        // 900 a second for 5 s, and a burst of 2,000 at once.
        #expect(Self.handle(4_500, over: .seconds(5), pacer: &pacer) < .seconds(5))
        var bursting = InboundPacer(perSecond: 1_000, burst: 2_000, now: .now)
        #expect(Self.handle(2_000, over: .zero, pacer: &bursting) == .zero)
    }

    @Test func tenThousandMessagesInOneSecondAreSpreadToTheRate() {
        var pacer = InboundPacer(perSecond: 1_000, burst: 2_000, now: .now)
        let took = Self.handle(10_000, over: .seconds(1), pacer: &pacer)
        // The burst goes at once, the other 8,000 at 1,000 a second: about 8 s, give or take one batch.
        #expect(took >= .seconds(7.9) && took <= .seconds(8.1), "took \(took)")
    }

    @Test func waitsComeInBatchesNotOnePerMessage() {
        var pacer = InboundPacer(perSecond: 1_000, burst: 100, now: .now)
        var clock = ContinuousClock.now
        var waits = 0
        for _ in 0..<1_100 {
            let wait = pacer.charge(now: clock)
            if wait > .zero { waits += 1 }
            clock += wait
        }
        // 1,000 messages past the burst, 50 per 50 ms batch: about 20 sleeps, not 1,000.
        #expect(waits >= 18 && waits <= 22, "\(waits) waits")
    }
}
