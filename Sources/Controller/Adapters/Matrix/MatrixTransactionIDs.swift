import NIOConcurrencyHelpers

/// Transaction ids for `PUT /send/{txnId}`: one per logical message, fixed before the first try and reused by
/// every retry of it, so a `PUT` whose answer was lost sends nothing twice (the homeserver answers a repeated
/// transaction id with the first event id).
///
/// An id is `stw.<session>.<sequence>`: the session (random per adapter, so a restarted controller never reuses
/// an earlier process's ids under the same access token) and a counter of logical messages.
public struct MatrixTransactionIDs: Sendable {
    public let session: String
    private let counter = NIOLockedValueBox<UInt64>(0)

    public init(session: String = MatrixTransactionIDs.randomSession()) {
        self.session = session
    }

    /// The id of the next logical message.
    public func next() -> String {
        Self.id(session: session, sequence: counter.withLockedValue { value in
            value += 1
            return value
        })
    }

    /// The id of logical message `sequence` in `session`: the same inputs always give the same id.
    public static func id(session: String, sequence: UInt64) -> String {
        "stw.\(session).\(sequence)"
    }

    /// 16 hex digits from the system's random generator.
    public static func randomSession() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
