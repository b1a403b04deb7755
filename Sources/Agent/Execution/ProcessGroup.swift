#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process group (and session) a command runs in.
///
/// Signals go to the whole group, so a grandchild (`sh -c 'sleep 100 & wait'`) dies with the child;
/// swift-subprocess's own teardown stops once the direct child is gone.
struct ProcessGroup: Sendable, Hashable {
    /// The group id, equal to the pid of the child that created the session.
    let id: pid_t

    /// Sends `signal` to every member; false when no member was there to receive it.
    @discardableResult
    func send(_ signal: Int32) -> Bool {
        kill(-id, signal) == 0
    }

    /// Whether any member is still running.
    ///
    /// Zombies do not count: where the reaper of orphans (PID 1 in some containers) does not reap,
    /// killed grandchildren stay in the group as zombies although nothing runs any more.
    func hasRunningMembers() -> Bool {
        if kill(-id, 0) != 0 {
            // EPERM means members exist that we may not signal; they are alive all the same.
            return errno == EPERM
        }
        #if os(Linux)
        return ProcessTable.hasRunningProcess(inGroup: id)
        #else
        return true
        #endif
    }

    /// Ends every member: SIGTERM (unless already sent at `termSentAt`), then SIGKILL once `grace`
    /// has passed since SIGTERM, then waits briefly for the kill to land.
    ///
    /// Runs in an uncancelled task: it is called exactly when the caller is being cancelled, and a
    /// cancelled sleep would skip the SIGKILL.
    func terminate(grace: Duration, termSentAt: ContinuousClock.Instant?) async {
        let group = self
        await Task {
            await group.terminateNow(grace: grace, termSentAt: termSentAt)
        }.value
    }

    private func terminateNow(grace: Duration, termSentAt: ContinuousClock.Instant?) async {
        let clock = ContinuousClock()
        guard hasRunningMembers() else { return }
        let termTime: ContinuousClock.Instant
        if let termSentAt {
            termTime = termSentAt
        } else {
            send(SIGTERM)
            termTime = clock.now
        }
        if await waitUntilGone(deadline: termTime.advanced(by: grace), clock: clock) { return }
        send(SIGKILL)
        // SIGKILL cannot be caught, but delivery is asynchronous; wait so callers see a dead group.
        _ = await waitUntilGone(deadline: clock.now.advanced(by: .seconds(2)), clock: clock)
    }

    private func waitUntilGone(deadline: ContinuousClock.Instant, clock: ContinuousClock) async -> Bool {
        while hasRunningMembers() {
            if clock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
