import NIOConcurrencyHelpers

/// Counts the agent connections open at once and refuses those past `limit` (`max_agent_connections`).
/// A refused connection costs an accept and a close: no TLS handshake, no task.
final class ConnectionAdmission: Sendable {
    enum Decision: Equatable {
        case admitted
        /// `firstAtLimit` is true for the first refusal since the count was last below the limit, so a
        /// flood is logged once, not once per connection (each refusal is still counted).
        case refused(firstAtLimit: Bool)
    }

    let limit: Int
    private let state = NIOLockedValueBox<(open: Int, refusing: Bool)>((0, false))

    init(limit: Int) {
        precondition(limit > 0)
        self.limit = limit
    }

    func admit() -> Decision {
        state.withLockedValue { state in
            guard state.open >= limit else {
                state.open += 1
                return .admitted
            }
            defer { state.refusing = true }
            return .refused(firstAtLimit: !state.refusing)
        }
    }

    /// An admitted connection ended.
    func release() {
        state.withLockedValue { state in
            state.open -= 1
            if state.open < limit { state.refusing = false }
        }
    }

    var openCount: Int { state.withLockedValue { $0.open } }
}
