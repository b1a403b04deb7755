/// Polls `condition` every 20 ms until it holds, or throws once `timeout` has passed.
///
/// The timeout is a liveness bound, not a speed check: it only has to tell "happens" from "never
/// happens", so it is generous enough for a 2-core machine that is also running the fault suites.
func eventually(
    _ what: String = "the condition", timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    if try await condition() { return }
    throw EventuallyTimedOut(what: what, timeout: timeout)
}

struct EventuallyTimedOut: Error, CustomStringConvertible {
    var what: String
    var timeout: Duration
    var description: String { "\(what) did not hold within \(timeout)" }
}
