#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// What one run has decided about its child so far, shared by the watchdog, the cancellation
/// handler and the runner.
///
/// A mutex rather than an actor: the task-cancellation handler is synchronous and must signal the
/// group at once.
final class RunControl: Sendable {
    struct State: Sendable {
        var group: ProcessGroup?
        var timedOut = false
        var cancelled = false
        /// When SIGTERM first went to the group, so the SIGKILL grace is counted from then.
        var termSentAt: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    var snapshot: State { state.withLock { $0 } }

    /// Records the group once spawned; signals it at once if cancellation came first.
    func started(_ group: ProcessGroup) {
        let terminate = state.withLock { state -> Bool in
            state.group = group
            return state.cancelled && state.termSentAt == nil
        }
        if terminate { sendTerm() }
    }

    func markCancelled() {
        state.withLock { $0.cancelled = true }
        sendTerm()
    }

    func markTimedOut() {
        state.withLock { $0.timedOut = true }
        sendTerm()
    }

    /// SIGTERM to the group, once, remembering when.
    private func sendTerm() {
        let group = state.withLock { state -> ProcessGroup? in
            guard let group = state.group, state.termSentAt == nil else { return nil }
            state.termSentAt = ContinuousClock.now
            return group
        }
        group?.send(SIGTERM)
    }
}
