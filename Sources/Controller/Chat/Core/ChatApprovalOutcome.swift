/// How an approval request ended, for adapters that showed it with buttons (see ``ChatAdapter/approvalClosed(_:_:)``).
public enum ChatApprovalOutcome: Sendable, Hashable {
    case approved(by: ChatPolicy.Identity)
    case denied(by: ChatPolicy.Identity)
    /// The requester took it back.
    case withdrawn(by: ChatPolicy.Identity)
    /// Someone tried to decide it after it expired.
    case expired
}

extension ChatAdapter {
    public func approvalClosed(_ ticketID: String, _ outcome: ChatApprovalOutcome) async {}
}
