import Testing
@testable import StewardController

/// A policy file that must be refused as a whole, and where the error must point.
struct ParseErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var code: PolicyFileError.Code
    var line: Int?
    var testDescription: String { name }
}

@Suite struct ChatPolicyParseErrorTests {
    /// Prefixes a valid identity so each error sits after content that alone would have loaded.
    static func file(_ body: String) -> String {
        "identities: [{platform: slack, user: U1, roles: [viewer]}]\nroles:\n  viewer:\n    rules: [{commands: [ping], targets: all}]\n" + body
    }

    static let cases: [ParseErrorCase] = [
        .init(name: "unknown top-level key", yaml: "identities: []\nrole: {}\n", code: .unknownKey, line: 2),
        .init(name: "unknown rule key", yaml: file("  ops:\n    rules:\n      - {commands: [ping], targets: all, room: any}\n"), code: .unknownKey, line: 7),
        .init(name: "unknown role key", yaml: file("  ops:\n    inherit: [viewer]\n"), code: .unknownKey, line: 6),
        .init(name: "unknown identity key", yaml: "identities:\n  - {platform: slack, user: U1, roles: [], name: bob}\n", code: .unknownKey, line: 2),
        .init(name: "identity with an undefined role", yaml: "identities:\n  - {platform: slack, user: U1, roles: [viewer]}\n  - {platform: slack, user: U2, roles: [ghost]}\nroles: {viewer: {}}\n", code: .unknownRole, line: 3),
        .init(name: "inherits an undefined role", yaml: file("  ops:\n    inherits: [viewer, ghost]\n"), code: .unknownRole, line: 6),
        .init(name: "inheritance cycle", yaml: file("  a:\n    inherits: [b]\n  b:\n    inherits: [a]\n"), code: .inheritanceCycle, line: 8),
        .init(name: "role inheriting itself", yaml: file("  a:\n    inherits: [a]\n"), code: .inheritanceCycle, line: 6),
        .init(name: "bad label selector", yaml: file("  ops:\n    rules:\n      - {commands: [ping], targets: \"role=\"}\n"), code: .invalidSelector, line: 7),
        .init(name: "bad selector in a list", yaml: file("  ops:\n    rules:\n      - commands: [ping]\n        targets: [web-01, \"bad name\"]\n"), code: .invalidSelector, line: 8),
        .init(name: "empty target list", yaml: file("  ops:\n    rules: [{commands: [ping], targets: []}]\n"), code: .invalidValue, line: 6),
        .init(name: "bad duration unit", yaml: file("  ops:\n    rules:\n      - {commands: [reboot], targets: all, confirm: {within: 30x}}\n"), code: .invalidDuration, line: 7),
        .init(name: "zero duration", yaml: file("  ops:\n    rules:\n      - {commands: [reboot], targets: all, confirm: {within: 0s}}\n"), code: .invalidDuration, line: 7),
        .init(name: "confirmation window above an hour", yaml: file("  ops:\n    rules:\n      - {commands: [reboot], targets: all, confirm: {within: 2h}}\n"), code: .invalidDuration, line: 7),
        .init(name: "numeric duration without unit", yaml: file("  ops:\n    rules:\n      - {commands: [reboot], targets: all, confirm: {within: 60}}\n"), code: .invalidDuration, line: 7),
        .init(name: "approval with empty approvers", yaml: file("  ops:\n    rules:\n      - commands: [reboot]\n        targets: all\n        approval: {approvers: [], expires: 30m}\n"), code: .missingApprover, line: 9),
        .init(name: "approval without approvers", yaml: file("  ops:\n    rules:\n      - commands: [reboot]\n        targets: all\n        approval: {expires: 30m}\n"), code: .missingApprover, line: 9),
        .init(name: "approval naming an undefined role", yaml: file("  ops:\n    rules:\n      - {commands: [reboot], targets: all, approval: {approvers: [boss], expires: 30m}}\n"), code: .unknownRole, line: 7),
        .init(name: "approval without expiry", yaml: file("  ops:\n    rules:\n      - {commands: [reboot], targets: all, approval: {approvers: [viewer]}}\n"), code: .missingKey, line: 7),
        .init(name: "approval expiring after a week", yaml: file("  ops:\n    rules:\n      - {commands: [reboot], targets: all, approval: {approvers: [viewer], expires: 8d}}\n"), code: .invalidDuration, line: 7),
        .init(name: "confirm and approval together", yaml: file("  ops:\n    rules:\n      - {commands: [reboot], targets: all, confirm: {within: 1m}, approval: {approvers: [viewer], expires: 1h}}\n"), code: .conflictingGates, line: 7),
        .init(name: "misspelt command", yaml: file("  ops:\n    rules:\n      - {commands: [ping, rebot], targets: all}\n"), code: .unknownCommand, line: 7),
        .init(name: "unknown service operation", yaml: file("  ops:\n    rules:\n      - {commands: [service.reload], targets: all}\n"), code: .unknownCommand, line: 7),
        .init(name: "bad exec name", yaml: file("  ops:\n    rules:\n      - {commands: [\"exec:rm -rf\"], targets: all}\n"), code: .unknownCommand, line: 7),
        .init(name: "command list given as a string", yaml: file("  ops:\n    rules:\n      - {commands: ping, targets: all}\n"), code: .wrongType, line: 7),
        .init(name: "room without platform", yaml: file("  ops:\n    rules:\n      - {commands: [ping], targets: all, rooms: [C123]}\n"), code: .invalidRoom, line: 7),
        .init(name: "empty room list", yaml: file("  ops:\n    rules:\n      - {commands: [ping], targets: all, rooms: []}\n"), code: .invalidValue, line: 7),
        .init(name: "rule without targets", yaml: file("  ops:\n    rules:\n      - {commands: [ping]}\n"), code: .missingKey, line: 7),
        .init(name: "duplicate identity", yaml: "identities:\n  - {platform: slack, user: U1, roles: [a]}\n  - {platform: slack, user: U1, roles: [a]}\nroles: {a: {}}\n", code: .duplicateIdentity, line: 3),
        .init(name: "uppercase platform", yaml: "identities:\n  - {platform: Slack, user: U1, roles: [a]}\nroles: {a: {}}\n", code: .invalidName, line: 2),
        .init(name: "user id with a space", yaml: "identities:\n  - {platform: slack, user: \"bob smith\", roles: [a]}\nroles: {a: {}}\n", code: .invalidName, line: 2),
        .init(name: "identity without roles", yaml: "identities:\n  - {platform: slack, user: U1, roles: []}\nroles: {a: {}}\n", code: .invalidValue, line: 2),
        .init(name: "identity missing user", yaml: "identities:\n  - {platform: slack, roles: [a]}\nroles: {a: {}}\n", code: .missingKey, line: 2),
        .init(name: "bad role name", yaml: "roles:\n  \"bad role\": {}\n", code: .invalidName, line: 2),
        .init(name: "roles given as a list", yaml: "roles:\n  - viewer\n", code: .wrongType, line: 2),
        .init(name: "null user id", yaml: "identities:\n  - {platform: slack, user: ~, roles: [a]}\nroles: {a: {}}\n", code: .wrongType, line: 2),
        .init(name: "duplicate mapping key", yaml: "roles:\n  a: {}\n  a: {}\n", code: .syntax, line: 2),
        .init(name: "unclosed flow mapping", yaml: "roles:\n  a: {rules: [\n", code: .syntax, line: 3),
        .init(name: "top level is a list", yaml: "- a\n- b\n", code: .wrongType, line: 1),
    ]

    @Test(arguments: cases)
    func refusesBadPolicyWithCodeAndLine(_ row: ParseErrorCase) {
        #expect {
            _ = try ChatPolicy.parse(yaml: row.yaml, path: "policy.yaml")
        } throws: { error in
            guard let error = error as? PolicyFileError else { return false }
            return error.code == row.code && error.line == row.line && error.path == "policy.yaml"
        }
    }

    @Test func reportsFileLineKeyPathAndReason() {
        let yaml = Self.file("  ops:\n    rules:\n      - {commands: [reboot], targets: all, confirm: {within: 30x}}\n")
        #expect(throws: PolicyFileError.self) { try ChatPolicy.parse(yaml: yaml, path: "/etc/steward/policy.yaml") }
        do {
            _ = try ChatPolicy.parse(yaml: yaml, path: "/etc/steward/policy.yaml")
        } catch {
            #expect(error.description == "/etc/steward/policy.yaml:7: roles.ops.rules[0].confirm.within: \"30x\" is not a duration such as 60s, 30m or 2h (at most 1h)")
        }
    }

    @Test func cycleErrorNamesTheLoop() {
        do {
            _ = try ChatPolicy.parse(yaml: "roles:\n  a: {inherits: [b]}\n  b: {inherits: [c]}\n  c: {inherits: [a]}\n")
            Issue.record("a cyclic policy loaded")
        } catch {
            #expect(error.reason == "roles inherit in a loop: a → b → c → a")
            #expect(error.line == 4)
        }
    }

    @Test func unknownKeyErrorListsTheKnownOnes() {
        do {
            _ = try ChatPolicy.parse(yaml: "identities: []\nroles: {}\nadmins: []\n")
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.keyPath == "admins")
            #expect(error.reason == "unknown key (expected one of: identities, roles)")
        }
    }
}
