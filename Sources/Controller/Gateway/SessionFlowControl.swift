import NIOCore
import Synchronization

/// Messages read from an agent and handed to its session loop but not handled yet. The reader waits
/// while `limit` are outstanding, so a peer that sends faster than the controller handles is slowed
/// down by TCP instead of buffered by the controller.
final class InboundCredit: Sendable {
    private struct State {
        var available: Int
        var waiter: CheckedContinuation<Void, any Error>?
        var cancelled = false
    }

    private let state: Mutex<State>

    init(limit: Int) {
        precondition(limit > 0)
        state = Mutex(State(available: limit))
    }

    /// Takes one credit, waiting for a `release` when none is left; throws when the task is cancelled.
    /// One reader at a time.
    func acquire() async throws {
        if state.withLock({ state in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }) { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, CancellationError>? = state.withLock { state in
                    if state.cancelled { return .failure(CancellationError()) }
                    if state.available > 0 {
                        state.available -= 1
                        return .success(())
                    }
                    precondition(state.waiter == nil, "InboundCredit has one reader")
                    state.waiter = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancelled = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Returns one credit: a handed-over message has been handled.
    func release() {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter else {
                state.available += 1
                return nil as CheckedContinuation<Void, any Error>?
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}

/// When the session loop's current write to the agent began, if one is under way. A write waits while
/// the channel is not writable, which lasts for ever with a peer that stopped reading; the tick task
/// checks this to drop such a peer.
final class WriteWatch: Sendable {
    private let started = Mutex<NIODeadline?>(nil)

    func begin(at now: NIODeadline = .now()) { started.withLock { $0 = now } }

    func end() { started.withLock { $0 = nil } }

    /// How long the current write has waited, nil when none is under way.
    func stuckFor(now: NIODeadline = .now()) -> TimeAmount? {
        started.withLock { $0.map { now - $0 } }
    }
}

/// Commands handed to a session loop and not yet taken by it. A loop that falls `limit` behind (its
/// agent stopped reading, so a write blocks) refuses further commands, and its session is closed,
/// instead of buffering them without bound or dropping the oldest to make room.
final class CommandBacklog: Sendable {
    let limit: Int
    private let pending = Atomic<Int>(0)

    init(limit: Int) {
        precondition(limit > 0)
        self.limit = limit
    }

    /// Takes a place for one command; false when `limit` are already pending.
    func reserve() -> Bool {
        var current = pending.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = pending.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// The loop took a command (or a reserved one was never handed over).
    func taken() {
        pending.subtract(1, ordering: .acquiringAndReleasing)
    }

    var count: Int { pending.load(ordering: .relaxed) }
}
