/// The approval requests this connection posted with buttons, by ticket id, so the message can be edited to show
/// the decision once someone approves or denies (by button or by typing).
///
/// Bounded like the approval book itself; the oldest entries go first, and a decided ticket is forgotten.
actor SlackApprovalMessages {
    struct Entry: Sendable, Hashable {
        var channel: String
        var ts: String
        /// The request as it was shown (mrkdwn), kept above the decision.
        var text: String
    }

    static let capacity = ApprovalBook.maxPending

    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    func remember(ticket: String, _ entry: Entry) {
        if entries.updateValue(entry, forKey: ticket) == nil { order.append(ticket) }
        while order.count > Self.capacity {
            entries[order.removeFirst()] = nil
        }
    }

    /// The message for `ticket`, forgotten at once so a second decision does not edit it again.
    func take(ticket: String) -> Entry? {
        guard let entry = entries.removeValue(forKey: ticket) else { return nil }
        order.removeAll { $0 == ticket }
        return entry
    }

    /// The ticket ids a reply's buttons decide (`approve ID` / `deny ID`).
    static func tickets(in actions: [ChatAction]) -> Set<String> {
        Set(actions.compactMap { action in
            let words = action.command.split(separator: " ")
            guard words.count == 2, words[0] == "approve" || words[0] == "deny" else { return nil }
            return String(words[1])
        })
    }
}
