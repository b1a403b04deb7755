import Testing
@testable import StewardController

/// The reply queue between the adapter and whichever session is up: order, waking, age, cancellation.
@Suite(.timeLimit(.minutes(1))) struct IRCOutboxTests {
    static func line(_ text: String, at instant: ContinuousClock.Instant = .now) -> IRCOutbox.Line {
        IRCOutbox.Line(target: "#ops", text: text, queuedAt: instant)
    }

    @Test func linesComeOutInOrderAndPutBackGoesFirst() async throws {
        let outbox = IRCOutbox()
        try outbox.enqueue([Self.line("a"), Self.line("b")])
        let first = await outbox.next()
        #expect(first?.text == "a")
        outbox.putBack(try #require(first))
        #expect(await outbox.next()?.text == "a")
        #expect(await outbox.next()?.text == "b")
    }

    @Test func aWaitingSenderIsWokenByNewLines() async throws {
        let outbox = IRCOutbox()
        async let next = outbox.next()
        try await Task.sleep(for: .milliseconds(50))
        try outbox.enqueue([Self.line("late")])
        #expect(await next?.text == "late")
    }

    @Test func cancellingAWaitingSenderReturnsNilAtOnce() async throws {
        let outbox = IRCOutbox()
        let waiter = Task { await outbox.next() }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        #expect(await waiter.value == nil)
        // An already-cancelled task does not wait at all.
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await outbox.next()
        }
        #expect(await cancelled.value == nil)
        try outbox.enqueue([Self.line("kept")])
        #expect(outbox.count == 1, "no line was lost to the cancelled waiters")
    }

    @Test func staleLinesAreDropped() async throws {
        let outbox = IRCOutbox(maxAge: .seconds(60))
        try outbox.enqueue([Self.line("old", at: .now - .seconds(61)), Self.line("fresh")])
        #expect(await outbox.next()?.text == "fresh")
        #expect(outbox.dropped == 1)
    }
}
