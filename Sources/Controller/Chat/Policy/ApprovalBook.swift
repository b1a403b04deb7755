import Foundation

/// Requests waiting for their requester's `yes` (confirmations) or another person's decision (approvals).
///
/// Pure state with an injected clock: the controller owns one inside an actor and persists it.
/// Identity is platform + immutable user id, so "someone else" means a different account; one person with
/// accounts on two platforms is not detected.
public struct ApprovalBook: Sendable {
    /// Pending approvals are capped so a flood of requests cannot grow memory without bound.
    public static let maxPending = 1000

    let now: @Sendable () -> Date
    var tickets: [String: ApprovalTicket] = [:]
    var confirmations: [ConfirmationKey: PendingConfirmation] = [:]

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// Files a request for approval, valid for `expires` from now.
    @discardableResult
    public mutating func request(
        id: String, requester: ChatPolicy.Identity, summary: String, approverRoles: [String], expires: Duration
    ) throws(ApprovalBookError) -> ApprovalTicket {
        guard tickets[id] == nil else { throw ApprovalBookError(code: .duplicateID, reason: "approval request \(id) already exists") }
        guard !approverRoles.isEmpty else {
            throw ApprovalBookError(code: .noApproverRole, reason: "approval request \(id) names no approver role, so nobody could approve it")
        }
        guard pendingApprovals.count < Self.maxPending else {
            throw ApprovalBookError(code: .tooManyPending, reason: "\(Self.maxPending) approvals are already waiting")
        }
        let requestedAt = now()
        let ticket = ApprovalTicket(
            id: id, requester: requester, summary: summary, approverRoles: approverRoles, requestedAt: requestedAt,
            expiresAt: requestedAt.addingTimeInterval(Self.seconds(expires)), state: .pending)
        tickets[id] = ticket
        return ticket
    }

    /// Approves for `approver`, who holds `roles` (from `ChatPolicy.roles(of:)`). Never the requester,
    /// even one holding an approver role: approval means a second pair of eyes.
    public mutating func approve(_ id: String, by approver: ChatPolicy.Identity, roles: [String]) -> ApprovalOutcome {
        switch openTicket(id) {
        case .failure(let refusal): return .refused(refusal)
        case .success(var ticket):
            guard ticket.requester != approver else {
                return .refused(.init(code: .selfApproval, id: id, reason: "you asked for \(id) yourself; someone else with the role \(ticket.approverRoles.joined(separator: " or ")) must approve it"))
            }
            if let refusal = roleRefusal(ticket, roles: roles, verb: "approving") { return .refused(refusal) }
            ticket.state = .approved(by: approver, at: now())
            tickets[id] = ticket
            return .approved(ticket)
        }
    }

    /// Denies for an approver, or withdraws when the requester says it.
    public mutating func deny(_ id: String, by person: ChatPolicy.Identity, roles: [String]) -> ApprovalOutcome {
        switch openTicket(id) {
        case .failure(let refusal): return .refused(refusal)
        case .success(var ticket):
            if ticket.requester == person {
                ticket.state = .withdrawn(at: now())
                tickets[id] = ticket
                return .withdrawn(ticket)
            }
            if let refusal = roleRefusal(ticket, roles: roles, verb: "denying") { return .refused(refusal) }
            ticket.state = .denied(by: person, at: now())
            tickets[id] = ticket
            return .denied(ticket)
        }
    }

    /// The ticket as it stands now (expired ones read `.expired`).
    public func ticket(_ id: String) -> ApprovalTicket? {
        guard var ticket = tickets[id] else { return nil }
        if ticket.state == .pending, now() >= ticket.expiresAt { ticket.state = .expired }
        return ticket
    }

    /// Approvals still waiting and not yet expired, oldest first.
    public var pendingApprovals: [ApprovalTicket] {
        let now = now()
        return tickets.values.filter { $0.state == .pending && now < $0.expiresAt }.sorted { $0.requestedAt < $1.requestedAt }
    }

    /// Forgets every ticket past its expiry and every overdue confirmation; returns the approvals that
    /// expired while still pending, so the room can be told.
    public mutating func sweep() -> [ApprovalTicket] {
        let now = now()
        var expired: [ApprovalTicket] = []
        for (id, ticket) in tickets where now >= ticket.expiresAt {
            if ticket.state == .pending {
                var copy = ticket
                copy.state = .expired
                expired.append(copy)
            }
            tickets[id] = nil
        }
        confirmations = confirmations.filter { now < $0.value.deadline }
        return expired.sorted { $0.requestedAt < $1.requestedAt }
    }

    /// A ticket that may still be decided, or why not.
    private mutating func openTicket(_ id: String) -> Result<ApprovalTicket, ApprovalRefusal> {
        guard var ticket = tickets[id] else {
            return .failure(.init(code: .unknownRequest, id: id, reason: "there is no approval request \(id)"))
        }
        switch ticket.state {
        case .pending: break
        case .approved(let by, _): return .failure(.init(code: .alreadyDecided, id: id, reason: "\(id) was already approved by \(by)"))
        case .denied(let by, _): return .failure(.init(code: .alreadyDecided, id: id, reason: "\(id) was already denied by \(by)"))
        case .withdrawn: return .failure(.init(code: .alreadyDecided, id: id, reason: "\(id) was withdrawn by its requester"))
        case .expired: return .failure(.init(code: .expired, id: id, reason: "\(id) has expired; ask again"))
        }
        guard now() < ticket.expiresAt else {
            ticket.state = .expired
            tickets[id] = ticket
            return .failure(.init(code: .expired, id: id, reason: "\(id) has expired; ask again"))
        }
        return .success(ticket)
    }

    private func roleRefusal(_ ticket: ApprovalTicket, roles: [String], verb: String) -> ApprovalRefusal? {
        guard !ticket.approverRoles.contains(where: roles.contains) else { return nil }
        let held = roles.isEmpty ? "no roles" : roles.joined(separator: ", ")
        return ApprovalRefusal(
            code: .notAnApprover, id: ticket.id,
            reason: "\(verb) \(ticket.id) needs the role \(ticket.approverRoles.joined(separator: " or ")); you have \(held)")
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
