/// Where the event stream stands, so a reconnect resumes it: Mattermost keeps a short queue of each
/// connection's recent events, and a client that reconnects with `connection_id` and the next
/// `sequence_number` gets those it missed replayed, with no new `hello`. A `hello` with another connection
/// id means the server could not (restarted, or too long away): events in between are lost.
struct MattermostResume: Sendable, Hashable {
    private(set) var connectionID: String?
    /// The `seq` the next event should carry.
    private(set) var nextSequence = 0

    enum Step: Sendable, Hashable {
        case accept
        /// A `hello` from a new connection after an earlier one: the gap could not be replayed.
        case acceptAfterLoss
        /// An event skipped ahead: reconnect, and the server replays from `nextSequence`.
        case reconnect(expected: Int, got: Int)
    }

    /// The query to reconnect with, nil before the first `hello`.
    var query: String? {
        connectionID.map { "connection_id=\(Self.escaped($0))&sequence_number=\(nextSequence)" }
    }

    /// Follows one event (its `seq`, and the connection id of a `hello`).
    mutating func received(sequence: Int?, helloConnectionID: String?) -> Step {
        var step = Step.accept
        if let helloConnectionID {
            if let connectionID, connectionID != helloConnectionID { step = .acceptAfterLoss }
            if connectionID != helloConnectionID { nextSequence = 0 }
            connectionID = helloConnectionID
        }
        guard let sequence else { return step }
        if sequence != nextSequence, step == .accept, connectionID != nil {
            return .reconnect(expected: nextSequence, got: sequence)
        }
        nextSequence = sequence + 1
        return step
    }

    private static func escaped(_ value: String) -> String {
        String(value.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }.map(Character.init))
    }
}
