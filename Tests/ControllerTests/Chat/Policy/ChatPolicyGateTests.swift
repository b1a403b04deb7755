import Testing
@testable import StewardController

/// How rules combine when several apply, plus room scopes and target lists.
@Suite struct ChatPolicyGateTests {
    static let yaml = """
        identities:
          - {platform: slack, user: U1, roles: [careful, trusted]}
          - {platform: slack, user: U2, roles: [dbteam, webteam]}
          - {platform: slack, user: U3, roles: [slow, quick]}
        roles:
          careful:
            rules: [{commands: [reboot], targets: "web-*", approval: {approvers: [lead], expires: 1h}}]
          trusted:
            rules: [{commands: [reboot], targets: web-01}]
          dbteam:
            rules:
              - {commands: [reboot], targets: ["role=db", "cache-*"], approval: {approvers: [dba], expires: 2h}}
              - {commands: ["service.*"], targets: all, rooms: ["matrix:*"]}
          webteam:
            rules: [{commands: [reboot], targets: "role=web", approval: {approvers: [lead, dba], expires: 30m}}]
          slow:
            rules: [{commands: ["exec:*"], targets: all, confirm: {within: 30s}}]
          quick:
            rules: [{commands: ["exec:*"], targets: all, confirm: {within: 2m}}]
          lead: {}
          dba:
        """
    let u1 = ChatPolicy.Identity(platform: "slack", userID: "U1")
    let u2 = ChatPolicy.Identity(platform: "slack", userID: "U2")
    let u3 = ChatPolicy.Identity(platform: "slack", userID: "U3")
    let web1 = ChatPolicy.Target(name: "web-01", labels: ["role": "web"])
    let web2 = ChatPolicy.Target(name: "web-02", labels: ["role": "web"])
    let db1 = ChatPolicy.Target(name: "db-01", labels: ["role": "db"])
    let cache = ChatPolicy.Target(name: "cache-7")

    func decide(_ who: ChatPolicy.Identity, _ permission: String, _ targets: [ChatPolicy.Target], room: String = "slack:C1") throws -> ChatDecision {
        try ChatPolicy.parse(yaml: Self.yaml).decide(.init(identity: who, displayName: "u", room: room, permission: permission, targets: targets))
    }

    @Test func mostPermissiveRuleWinsPerHost() throws {
        #expect(try decide(u1, "reboot", [web1]) == .allow)
    }

    @Test func requestNeedsTheStrictestGateOfItsHosts() throws {
        #expect(try decide(u1, "reboot", [web1, web2]) == .requiresApproval(approverRoles: ["lead"], expires: .seconds(3600)))
    }

    @Test func targetListCoversLabelsAndGlobs() throws {
        #expect(try decide(u2, "reboot", [db1, cache]) == .requiresApproval(approverRoles: ["dba"], expires: .seconds(7200)))
        #expect(try decide(u2, "reboot", [ChatPolicy.Target(name: "cachex")]) == .deny(reason: "u (dbteam, webteam) may not run reboot on cachex"))
    }

    @Test func approverRolesIntersectAcrossHostsAndShortestExpiryApplies() throws {
        #expect(try decide(u2, "reboot", [db1, web1]) == .requiresApproval(approverRoles: ["dba"], expires: .seconds(1800)))
    }

    @Test func disjointApproverRolesAreDeniedRatherThanLoosened() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "approvers: [lead, dba]", with: "approvers: [lead]")
        let policy = try ChatPolicy.parse(yaml: yaml)
        let decision = policy.decide(.init(identity: u2, room: "slack:C1", permission: "reboot", targets: [db1, web1]))
        guard case .deny(let reason) = decision else { Issue.record("expected a denial, got \(decision)"); return }
        #expect(reason.contains("need approval from different roles"))
    }

    @Test func longestConfirmationWindowOfEquallyPermissiveRulesWins() throws {
        #expect(try decide(u3, "exec:backup", [db1]) == .allowAfterConfirmation(within: .seconds(120)))
    }

    @Test func platformWideRoomMatchesOnlyThatPlatform() throws {
        #expect(try decide(u2, "service.start", [db1], room: "matrix:!abc:example.org") == .allow)
        #expect(try decide(u2, "service.start", [db1], room: "slack:matrix") == .deny(reason: "u (dbteam, webteam) may not run service.start in slack:matrix (allowed in matrix:*)"))
    }

    @Test func rolesIncludeInheritedOnesAfterAssignedOnes() throws {
        let policy = try ChatPolicyFixtures.policy()
        #expect(policy.roles(of: ChatPolicyFixtures.alice) == ["operator", "viewer"])
        #expect(policy.roles(of: ChatPolicyFixtures.dave) == ["operator", "viewer", "approver"])
        #expect(policy.roles(of: ChatPolicyFixtures.stranger) == [])
    }

    @Test func deepInheritanceIsTransitive() throws {
        let policy = try ChatPolicy.parse(yaml: """
            identities: [{platform: irc, user: nick, roles: [c]}]
            roles:
              a: {rules: [{commands: [ping], targets: all}]}
              b: {inherits: [a]}
              c: {inherits: [b, a]}
            """)
        let nick = ChatPolicy.Identity(platform: "irc", userID: "nick")
        #expect(policy.roles(of: nick) == ["c", "b", "a"])
        #expect(policy.decide(.init(identity: nick, room: "irc:#ops", permission: "ping", targets: [web1])) == .allow)
    }

    @Test func helpListsOnlyWhatTheUserMayRunInThatRoom() throws {
        let policy = try ChatPolicyFixtures.policy()
        let viewer = ["agents", "facts", "help", "history", "job", "metrics", "ping", "whoami"]
        #expect(policy.permittedCommands(for: ChatPolicyFixtures.bob, room: "matrix:!r") == viewer)
        #expect(policy.permittedCommands(for: ChatPolicyFixtures.alice, room: "slack:C9") == (viewer + ["reboot", "service.stop"]).sorted())
        #expect(policy.permittedCommands(for: ChatPolicyFixtures.alice, room: "slack:C123")
            == (viewer + ["exec:disk-usage", "reboot", "service.restart", "service.status", "service.stop"]).sorted())
        #expect(policy.permittedCommands(for: ChatPolicyFixtures.stranger, room: "slack:C123") == ["help", "whoami"])
    }

    @Test func helpExpandsWildcards() throws {
        let all = try ChatPolicyFixtures.policy().permittedCommands(for: ChatPolicyFixtures.admin, room: "terminal:local")
        #expect(all.count == ChatPermission.plain.count + ChatPermission.serviceOperations.count + 1)
        #expect(all.contains("exec:*") && all.contains("service.start") && all.contains("cancel"))
        #expect(!all.contains("*") && !all.contains("service.*"))
    }
}
