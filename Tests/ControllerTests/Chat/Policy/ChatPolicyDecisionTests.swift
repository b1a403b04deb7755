import Testing
@testable import StewardController

/// One row of the policy table: who asks for what, where, on which hosts, and what the policy must say.
struct DecisionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var identity: ChatPolicy.Identity
    var displayName: String? = nil
    var room: String
    var permission: String
    var targets: [ChatPolicy.Target] = []
    var expected: ChatDecision

    var testDescription: String { name }

    var request: ChatAuthorizationRequest {
        ChatAuthorizationRequest(identity: identity, displayName: displayName, room: room, permission: permission, targets: targets)
    }
}

@Suite struct ChatPolicyDecisionTests {
    typealias F = ChatPolicyFixtures

    static let cases: [DecisionCase] = [
        DecisionCase(name: "viewer reads metrics on every host in any room", identity: F.bob, room: "matrix:!ops:example.org",
                     permission: "metrics", targets: [F.web1, F.db1, F.webCanary], expected: .allow),
        DecisionCase(name: "viewer may not reboot, reason names user, role, command and host", identity: F.bob, displayName: "bob",
                     room: "matrix:!ops:example.org", permission: "reboot", targets: [F.web1],
                     expected: .deny(reason: "bob (viewer) may not run reboot on web-01")),
        DecisionCase(name: "viewer job lookup needs no targets", identity: F.bob, room: "matrix:!ops:example.org", permission: "job", expected: .allow),
        DecisionCase(name: "viewer may not cancel", identity: F.bob, displayName: "bob", room: "matrix:!ops:example.org", permission: "cancel",
                     expected: .deny(reason: "bob (viewer) may not run cancel")),
        DecisionCase(name: "operator restarts web hosts in the allowed room", identity: F.alice, room: "slack:C123",
                     permission: "service.restart", targets: [F.web1, F.web2], expected: .allow),
        DecisionCase(name: "operator restart refused in another room, naming where it is allowed", identity: F.alice, displayName: "alice",
                     room: "slack:C999", permission: "service.restart", targets: [F.web1],
                     expected: .deny(reason: "alice (operator, viewer) may not run service.restart in slack:C999 (allowed in slack:C123)")),
        DecisionCase(name: "one uncovered host denies the whole request and is named", identity: F.alice, displayName: "alice", room: "slack:C123",
                     permission: "service.restart", targets: [F.web1, F.db1, F.web2],
                     expected: .deny(reason: "alice (operator, viewer) may not run service.restart on db-01")),
        DecisionCase(name: "label selector ignores a web-looking name", identity: F.alice, displayName: "alice", room: "slack:C123",
                     permission: "service.status", targets: [F.webCanary],
                     expected: .deny(reason: "alice (operator, viewer) may not run service.status on web-canary")),
        DecisionCase(name: "named exec command allowed", identity: F.alice, room: "slack:C123", permission: "exec:disk-usage",
                     targets: [F.web1], expected: .allow),
        DecisionCase(name: "other exec command denied", identity: F.alice, displayName: "alice", room: "slack:C123", permission: "exec:rm-rf",
                     targets: [F.web1], expected: .deny(reason: "alice (operator, viewer) may not run exec:rm-rf on web-01")),
        DecisionCase(name: "operator reboot on web glob needs approval", identity: F.alice, room: "slack:C777", permission: "reboot",
                     targets: [F.web1, F.webCanary], expected: .requiresApproval(approverRoles: ["approver"], expires: .seconds(1800))),
        DecisionCase(name: "operator reboot outside the glob is denied", identity: F.alice, displayName: "alice", room: "slack:C123",
                     permission: "reboot", targets: [F.db1], expected: .deny(reason: "alice (operator, viewer) may not run reboot on db-01")),
        DecisionCase(name: "service stop needs the requester's confirmation", identity: F.alice, room: "slack:C555", permission: "service.stop",
                     targets: [F.db1], expected: .allowAfterConfirmation(within: .seconds(60))),
        DecisionCase(name: "operator inherits viewer commands", identity: F.alice, room: "slack:C555", permission: "facts",
                     targets: [F.db1], expected: .allow),
        DecisionCase(name: "approver may approve", identity: F.carol, room: "slack:C123", permission: "approve", expected: .allow),
        DecisionCase(name: "admin wildcard covers reboot anywhere", identity: F.admin, room: "terminal:local", permission: "reboot",
                     targets: [F.db1, F.web1], expected: .allow),
        DecisionCase(name: "admin wildcard covers any exec command", identity: F.admin, room: "web:console", permission: "exec:backup",
                     targets: [F.db1], expected: .allow),
        DecisionCase(name: "stranger is denied and shown as having no roles", identity: F.stranger, room: "slack:C123", permission: "ping",
                     targets: [F.web1], expected: .deny(reason: "slack:U0STRANGER (no roles) may not run ping on web-01")),
        DecisionCase(name: "display name is never trusted", identity: F.stranger, displayName: "admin", room: "slack:C123", permission: "reboot",
                     targets: [F.web1], expected: .deny(reason: "admin (no roles) may not run reboot on web-01")),
        DecisionCase(name: "same user id on another platform is someone else", identity: .init(platform: "terminal", userID: "U024BE7LH"),
                     room: "terminal:local", permission: "metrics", targets: [F.web1],
                     expected: .deny(reason: "terminal:U024BE7LH (no roles) may not run metrics on web-01")),
        DecisionCase(name: "stranger may still ask for help", identity: F.stranger, room: "slack:C123", permission: "help", expected: .allow),
        DecisionCase(name: "stranger may still ask whoami", identity: F.stranger, room: "slack:C123", permission: "whoami", expected: .allow),
        DecisionCase(name: "a wildcard is not a command to ask for", identity: F.admin, displayName: "root", room: "terminal:local",
                     permission: "exec:*", targets: [F.db1], expected: .deny(reason: "root (admin) asked for \"exec:*\", which is not a command")),
        DecisionCase(name: "unknown command is denied even for admin", identity: F.admin, displayName: "root", room: "terminal:local",
                     permission: "format", expected: .deny(reason: "root (admin) asked for \"format\", which is not a command")),
    ]

    @Test(arguments: cases)
    func decidesPolicyTable(_ row: DecisionCase) throws {
        let policy = try F.policy()
        #expect(policy.decide(row.request) == row.expected)
    }

    @Test func denialListsAtMostFiveHostsThenCounts() throws {
        let hosts = (1...8).map { ChatPolicy.Target(name: "db-0\($0)") }
        let decision = try F.policy().decide(.init(identity: F.bob, displayName: "bob", room: "x:y", permission: "reboot", targets: hosts))
        #expect(decision == .deny(reason: "bob (viewer) may not run reboot on db-01, db-02, db-03, db-04, db-05 and 3 more"))
    }

    @Test func emptyDisplayNameFallsBackToIdentity() throws {
        let decision = try F.policy().decide(.init(identity: F.bob, displayName: "", room: "x:y", permission: "cancel"))
        #expect(decision == .deny(reason: "matrix:@bob:example.org (viewer) may not run cancel"))
    }
}
