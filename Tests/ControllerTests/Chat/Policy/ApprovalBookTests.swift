import Foundation
import Testing
@testable import StewardController

/// Approvals: a different person with an approver role, before expiry, once.
@Suite struct ApprovalBookTests {
    typealias F = ChatPolicyFixtures
    let clock = PolicyTestClock()
    let policy: ChatPolicy
    var book: ApprovalBook

    init() throws {
        policy = try F.policy()
        book = ApprovalBook(now: clock.now)
    }

    /// Files alice's reboot the way the controller would: from the policy's decision.
    mutating func fileReboot(id: String = "J1", by requester: ChatPolicy.Identity = F.alice) throws -> ApprovalTicket {
        let decision = policy.decide(.init(identity: requester, room: "slack:C123", permission: "reboot", targets: [F.web1]))
        let (roles, expires) = try #require(Self.approvalNeeded(decision), "expected an approval requirement, got \(decision)")
        return try book.request(id: id, requester: requester, summary: "reboot web-01", approverRoles: roles, expires: expires)
    }

    static func approvalNeeded(_ decision: ChatDecision) -> (roles: [String], expires: Duration)? {
        if case .requiresApproval(let roles, let expires) = decision { return (roles, expires) }
        return nil
    }

    func refusalCode(_ outcome: ApprovalOutcome) -> ApprovalRefusal.Code? {
        if case .refused(let refusal) = outcome { return refusal.code }
        return nil
    }

    @Test mutating func anotherApproverApproves() throws {
        let ticket = try fileReboot()
        #expect(ticket.expiresAt == clock.date.addingTimeInterval(1800))
        clock.advance(seconds: 60)
        let outcome = book.approve("J1", by: F.carol, roles: policy.roles(of: F.carol))
        guard case .approved(let approved) = outcome else { Issue.record("not approved: \(outcome)"); return }
        #expect(approved.state == .approved(by: F.carol, at: clock.date))
        #expect(book.ticket("J1")?.state == .approved(by: F.carol, at: clock.date))
        #expect(book.pendingApprovals.isEmpty)
    }

    @Test mutating func requesterCannotApproveOwnRequestEvenAsApprover() throws {
        _ = try fileReboot(by: F.dave)
        #expect(policy.roles(of: F.dave).contains("approver"))
        let outcome = book.approve("J1", by: F.dave, roles: policy.roles(of: F.dave))
        #expect(refusalCode(outcome) == .selfApproval)
        #expect(book.ticket("J1")?.state == .pending)
        guard case .approved = book.approve("J1", by: F.carol, roles: policy.roles(of: F.carol)) else {
            Issue.record("a second person could not approve after the refused self-approval"); return
        }
    }

    @Test mutating func userWithoutApproverRoleIsRefusedWithTheRoleNamed() throws {
        _ = try fileReboot()
        let outcome = book.approve("J1", by: F.bob, roles: policy.roles(of: F.bob))
        #expect(outcome == .refused(.init(code: .notAnApprover, id: "J1", reason: "approving J1 needs the role approver; you have viewer")))
        #expect(refusalCode(book.approve("J1", by: F.stranger, roles: policy.roles(of: F.stranger))) == .notAnApprover)
        #expect(refusalCode(book.deny("J1", by: F.bob, roles: ["viewer"])) == .notAnApprover)
        #expect(book.ticket("J1")?.state == .pending)
    }

    @Test mutating func approvalIsRefusedOnceExpired() throws {
        _ = try fileReboot()
        clock.advance(seconds: 1799)
        #expect(book.pendingApprovals.map(\.id) == ["J1"])
        clock.advance(seconds: 1)
        #expect(refusalCode(book.approve("J1", by: F.carol, roles: ["approver"])) == .expired)
        #expect(book.ticket("J1")?.state == .expired)
        #expect(book.pendingApprovals.isEmpty)
    }

    @Test mutating func approvingTwiceIsRefused() throws {
        _ = try fileReboot()
        _ = book.approve("J1", by: F.carol, roles: ["approver"])
        let again = book.approve("J1", by: F.dave, roles: ["approver"])
        #expect(again == .refused(.init(code: .alreadyDecided, id: "J1", reason: "J1 was already approved by slack:U0CAROL")))
        #expect(refusalCode(book.deny("J1", by: F.dave, roles: ["approver"])) == .alreadyDecided)
    }

    @Test mutating func deniedRequestCannotBeApprovedLater() throws {
        _ = try fileReboot()
        guard case .denied(let ticket) = book.deny("J1", by: F.carol, roles: ["approver"]) else { Issue.record("not denied"); return }
        #expect(ticket.state == .denied(by: F.carol, at: clock.date))
        #expect(refusalCode(book.approve("J1", by: F.dave, roles: ["approver"])) == .alreadyDecided)
    }

    @Test mutating func requesterMayWithdrawButNotApprove() throws {
        _ = try fileReboot()
        guard case .withdrawn = book.deny("J1", by: F.alice, roles: []) else { Issue.record("not withdrawn"); return }
        #expect(refusalCode(book.approve("J1", by: F.carol, roles: ["approver"])) == .alreadyDecided)
    }

    @Test mutating func unknownRequestIsRefused() {
        #expect(book.approve("nope", by: F.carol, roles: ["approver"]) == .refused(.init(code: .unknownRequest, id: "nope", reason: "there is no approval request nope")))
        #expect(refusalCode(book.deny("nope", by: F.carol, roles: ["approver"])) == .unknownRequest)
    }

    @Test mutating func requestsWithDuplicateIDOrNoApproverAreRejected() throws {
        _ = try fileReboot()
        #expect { try book.request(id: "J1", requester: F.dave, summary: "x", approverRoles: ["approver"], expires: .seconds(60)) } throws: {
            ($0 as? ApprovalBookError)?.code == .duplicateID
        }
        #expect { try book.request(id: "J2", requester: F.dave, summary: "x", approverRoles: [], expires: .seconds(60)) } throws: {
            ($0 as? ApprovalBookError)?.code == .noApproverRole
        }
    }

    @Test mutating func pendingApprovalsAreCapped() throws {
        for index in 0..<ApprovalBook.maxPending {
            try book.request(id: "J\(index)", requester: F.alice, summary: "s", approverRoles: ["approver"], expires: .seconds(60))
        }
        #expect { try book.request(id: "overflow", requester: F.alice, summary: "s", approverRoles: ["approver"], expires: .seconds(60)) } throws: {
            ($0 as? ApprovalBookError)?.code == .tooManyPending
        }
        clock.advance(seconds: 60)
        #expect(book.sweep().count == ApprovalBook.maxPending)
        #expect(throws: Never.self) { try book.request(id: "overflow", requester: F.alice, summary: "s", approverRoles: ["approver"], expires: .seconds(60)) }
    }

    @Test mutating func sweepReportsExpiredPendingAndForgetsDecidedTickets() throws {
        _ = try fileReboot(id: "old")
        _ = try fileReboot(id: "done")
        _ = book.approve("done", by: F.carol, roles: ["approver"])
        clock.advance(seconds: 600)
        _ = try fileReboot(id: "fresh")
        clock.advance(seconds: 1200)
        let expired = book.sweep()
        #expect(expired.map(\.id) == ["old"])
        #expect(expired.first?.state == .expired)
        #expect(book.ticket("old") == nil && book.ticket("done") == nil)
        #expect(book.pendingApprovals.map(\.id) == ["fresh"])
    }
}
