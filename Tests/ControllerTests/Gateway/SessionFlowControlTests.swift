import NIOConcurrencyHelpers
import NIOCore
import Synchronization
import Testing
@testable import StewardController

/// The agent session's flow control: bounded read-ahead, and a watch on writes a stalled peer never drains.
@Suite("Session flow control", .timeLimit(.minutes(1)))
struct SessionFlowControlTests {
    @Test func theReaderGetsLimitCreditsThenWaitsForARelease() async throws {
        let credit = InboundCredit(limit: 3)
        for _ in 0..<3 { try await credit.acquire() }
        let acquired = Mutex(false)
        let reader = Task {
            try await credit.acquire()
            acquired.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(acquired.withLock { $0 } == false, "a fourth message waits while three are unhandled")
        credit.release()
        try await reader.value
        #expect(acquired.withLock { $0 })
    }

    @Test func releasesBeforeAnAcquireAreBankedUpToWhatWasTaken() async throws {
        let credit = InboundCredit(limit: 1)
        try await credit.acquire()
        credit.release()
        try await credit.acquire()
        credit.release()
        try await credit.acquire()
    }

    @Test func aWaitingReaderEndsWhenItsTaskIsCancelled() async throws {
        let credit = InboundCredit(limit: 1)
        try await credit.acquire()
        let reader = Task { try await credit.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        await #expect(throws: CancellationError.self) { try await reader.value }
        // Cancelled before it even waits: it throws at once instead of hanging.
        let late = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await credit.acquire()
        }
        await #expect(throws: CancellationError.self) { try await late.value }
    }

    @Test func aWriteIsStuckFromItsStartUntilItEnds() {
        let watch = WriteWatch()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        #expect(watch.stuckFor(now: start) == nil, "no write under way")
        watch.begin(at: start)
        #expect(watch.stuckFor(now: start + .seconds(5)) == .seconds(5))
        watch.end()
        #expect(watch.stuckFor(now: start + .seconds(9)) == nil)
    }
}

@Suite("Session command backlog")
struct CommandBacklogTests {
    @Test func refusesPastTheLimitUntilACommandIsTaken() {
        let backlog = CommandBacklog(limit: 3)
        #expect((0..<5).map { _ in backlog.reserve() } == [true, true, true, false, false])
        #expect(backlog.count == 3)
        backlog.taken()
        #expect(backlog.reserve())
        #expect(!backlog.reserve())
    }

    @Test func concurrentSendersNeverOvershootTheLimit() async {
        let backlog = CommandBacklog(limit: 100)
        let granted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<50).filter { _ in backlog.reserve() }.count }
            }
            return await group.reduce(0, +)
        }
        #expect(granted == 100)
        #expect(backlog.count == 100)
    }
}

@Suite("Session ticker")
struct SessionTickerTests {
    @Test func oneTimerTicksEverySubscriberUntilItLeavesAndStopsWhenCancelled() async throws {
        let ticker = SessionTicker(interval: .milliseconds(20))
        let counts = NIOLockedValueBox([0, 0])
        let first = ticker.subscribe { counts.withLockedValue { $0[0] += 1 } }
        _ = ticker.subscribe { counts.withLockedValue { $0[1] += 1 } }
        #expect(ticker.subscriberCount == 2)
        let running = Task { await ticker.run() }
        let deadline = ContinuousClock.now + .seconds(30)
        while counts.withLockedValue({ $0.min()! }) < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        ticker.unsubscribe(first)
        let frozen = counts.withLockedValue { $0[0] }
        let second = counts.withLockedValue { $0[1] }
        while counts.withLockedValue({ $0[1] }) < second + 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(counts.withLockedValue { $0[0] } == frozen, "no tick after unsubscribing")
        #expect(counts.withLockedValue { $0[1] } >= second + 3, "the other subscriber keeps ticking")
        #expect(ticker.subscriberCount == 1)
        running.cancel()
        await running.value  // returns once cancelled
    }
}
