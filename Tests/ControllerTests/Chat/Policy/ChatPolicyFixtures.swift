import Foundation
import Synchronization
@testable import StewardController

/// The policy from the design brief, plus an approver and a person holding both operator and approver.
enum ChatPolicyFixtures {
    static let yaml = """
        identities:                       # platform + immutable user id -> roles
          - {platform: slack, user: U024BE7LH, roles: [operator]}
          - {platform: terminal, user: admin, roles: [admin]}
          - {platform: matrix, user: "@bob:example.org", roles: [viewer]}
          - {platform: slack, user: U0CAROL, roles: [approver]}
          - {platform: slack, user: U0DAVE, roles: [operator, approver]}
        roles:
          viewer:
            rules:
              - {commands: [ping, facts, metrics, agents, history, job], targets: all, rooms: any}
          operator:
            inherits: [viewer]
            rules:
              - {commands: ["service.restart", "service.status", "exec:disk-usage"], targets: "role=web", rooms: ["slack:C123"]}
              - {commands: [reboot], targets: "web-*", approval: {approvers: [approver], expires: 30m}}
              - {commands: ["service.stop"], targets: all, confirm: {within: 60s}}
          approver:
            rules: [{commands: [approve, deny], targets: all}]
          admin:
            rules: [{commands: ["*"], targets: all}]
        """

    static let alice = ChatPolicy.Identity(platform: "slack", userID: "U024BE7LH")
    static let admin = ChatPolicy.Identity(platform: "terminal", userID: "admin")
    static let bob = ChatPolicy.Identity(platform: "matrix", userID: "@bob:example.org")
    static let carol = ChatPolicy.Identity(platform: "slack", userID: "U0CAROL")
    static let dave = ChatPolicy.Identity(platform: "slack", userID: "U0DAVE")
    static let stranger = ChatPolicy.Identity(platform: "slack", userID: "U0STRANGER")

    static let web1 = ChatPolicy.Target(name: "web-01", labels: ["role": "web", "env": "prod"])
    static let web2 = ChatPolicy.Target(name: "web-02", labels: ["role": "web"])
    static let db1 = ChatPolicy.Target(name: "db-01", labels: ["role": "db"])
    /// Named like a web host but labelled otherwise: globs and labels must be judged separately.
    static let webCanary = ChatPolicy.Target(name: "web-canary", labels: ["role": "canary"])

    static func policy() throws -> ChatPolicy {
        try ChatPolicy.parse(yaml: yaml, path: "policy.yaml")
    }
}

/// A wall clock the test moves by hand.
final class PolicyTestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
        current = Mutex(start)
    }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var date: Date { current.withLock { $0 } }

    var now: @Sendable () -> Date { { self.date } }
}
