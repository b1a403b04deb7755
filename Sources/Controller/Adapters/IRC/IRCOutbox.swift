import Synchronization

/// Reply lines waiting to be sent, in order, kept across reconnects so a short outage loses no result.
///
/// Bounded: beyond `capacity` lines a reply is refused (the engine logs it) rather than queued without
/// end, and a line older than `maxAge` is dropped instead of being sent long after it mattered. One
/// sender at a time waits in ``next()``, which returns nil as soon as its task is cancelled.
final class IRCOutbox: Sendable {
    struct Line: Sendable, Hashable {
        /// A channel or a nickname.
        var target: String
        /// One line of text, already cleaned (``IRCText/lines(of:)``), not yet cut to the byte budget.
        var text: String
        var queuedAt: ContinuousClock.Instant
    }

    private struct State {
        var lines: [Line] = []
        var waiter: CheckedContinuation<Line?, Never>?
        var dropped = 0
    }

    let capacity: Int
    let maxAge: Duration
    private let state = Mutex(State())

    init(capacity: Int = 500, maxAge: Duration = .seconds(600)) {
        self.capacity = capacity
        self.maxAge = maxAge
    }

    var count: Int { state.withLock { $0.lines.count } }

    /// Lines dropped for age so far.
    var dropped: Int { state.withLock { $0.dropped } }

    /// Queues all of `lines` or, when they do not fit, none.
    func enqueue(_ lines: [Line]) throws(IRCError) {
        guard !lines.isEmpty else { return }
        let (waiter, first): (CheckedContinuation<Line?, Never>?, Line?) = try state.withLock { state throws(IRCError) in
            guard state.lines.count + lines.count <= capacity else {
                throw IRCError(.outboxFull, "\(state.lines.count) lines are already waiting to be sent (at most \(capacity))")
            }
            state.lines += lines
            guard let waiter = state.waiter, let line = Self.popFresh(&state, now: .now, maxAge: maxAge) else { return (nil, nil) }
            state.waiter = nil
            return (waiter, line)
        }
        if let waiter, let first { waiter.resume(returning: first) }
    }

    /// Puts a line that could not be sent back at the front.
    func putBack(_ line: Line) {
        state.withLock { $0.lines.insert(line, at: 0) }
    }

    /// The next line, waiting for one; nil when the calling task is cancelled.
    func next() async -> Line? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Line?, Never>) in
                let ready: Line?? = state.withLock { state in
                    if let line = Self.popFresh(&state, now: .now, maxAge: maxAge) { return .some(line) }
                    // Checked under the lock the cancellation handler also takes, so a cancel is never missed.
                    if Task.isCancelled { return .some(nil) }
                    precondition(state.waiter == nil, "one sender at a time")
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }

    private static func popFresh(_ state: inout State, now: ContinuousClock.Instant, maxAge: Duration) -> Line? {
        while !state.lines.isEmpty {
            let line = state.lines.removeFirst()
            if now - line.queuedAt <= maxAge { return line }
            state.dropped += 1
        }
        return nil
    }
}
