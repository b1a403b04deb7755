import Testing
@testable import StewardAgent

/// One row of a decision table: a request and the verdict we expect.
struct PolicyDecisionCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        case allow(ResolvedAction?)
        case deny(PolicyDecision.DenialCode)
    }

    var request: ActionRequest
    var expected: Expected
    var testDescription: String { "\(request)" }

    init(_ request: ActionRequest, _ expected: Expected) {
        self.request = request
        self.expected = expected
    }
}

@Suite("AgentPolicy decisions")
struct AgentPolicyDecisionTests {
    static let defaultLimit = 1_048_576

    static let cases: [PolicyDecisionCase] = [
        .init(.ping, .allow(nil)),
        .init(.facts, .allow(nil)),
        .init(.metrics, .allow(nil)),
        .init(.service(op: .restart, unit: "nginx"), .allow(.service(op: .restart, unit: "nginx"))),
        .init(.service(op: .status, unit: "postgresql"), .allow(.service(op: .status, unit: "postgresql"))),
        .init(.service(op: .stop, unit: "nginx"), .deny(.operationNotAllowed)),
        .init(.service(op: .restart, unit: "postgresql"), .deny(.operationNotAllowed)),
        .init(.service(op: .stop, unit: "sshd"), .deny(.serviceNotAllowed)),
        // Names match exactly: the policy does not guess that "nginx.service" is "nginx".
        .init(.service(op: .status, unit: "nginx.service"), .deny(.serviceNotAllowed)),
        .init(.service(op: .status, unit: "-nginx"), .deny(.invalidUnitName)),
        .init(.service(op: .status, unit: "nginx;reboot"), .deny(.invalidUnitName)),
        .init(.service(op: .status, unit: ""), .deny(.invalidUnitName)),
        .init(.reboot, .deny(.rebootDisabled)),
        .init(.shell("id"), .deny(.shellDisabled)),
        .init(.exec(name: "rm-rf", args: []), .deny(.commandNotAllowed)),
        .init(.exec(name: "disk-usage", args: []), .allow(.command(CommandSpec(
            executable: "/usr/bin/df", arguments: ["-h"], environment: ["LC_ALL": "C"],
            timeout: .seconds(30), outputLimit: defaultLimit)))),
        .init(.exec(name: "disk-usage", args: ["/"]), .deny(.tooManyArguments)),
        .init(.exec(name: "logs", args: []), .allow(.command(CommandSpec(
            executable: "/usr/bin/journalctl", arguments: ["--no-pager", "-u"],
            timeout: .seconds(300), outputLimit: defaultLimit)))),
        .init(.exec(name: "logs", args: ["nginx", "x-1"]), .allow(.command(CommandSpec(
            executable: "/usr/bin/journalctl", arguments: ["--no-pager", "-u", "nginx", "x-1"],
            timeout: .seconds(300), outputLimit: defaultLimit)))),
        .init(.exec(name: "logs", args: ["a", "b", "c"]), .deny(.tooManyArguments)),
        .init(.exec(name: "logs", args: ["$(id)"]), .deny(.argumentRejected)),
        .init(.exec(name: "logs", args: ["nginx; rm -rf /"]), .deny(.argumentRejected)),
        .init(.exec(name: "logs", args: ["nginx\n"]), .deny(.argumentRejected)),
        .init(.exec(name: "logs", args: ["nginx", ""]), .deny(.argumentRejected)),
        .init(.exec(name: "logs", args: [String(repeating: "a", count: 5000)]), .deny(.argumentRejected)),
        // An unanchored pattern still has to match the whole argument.
        .init(.exec(name: "grep-word", args: ["abc;def"]), .deny(.argumentRejected)),
        .init(.exec(name: "grep-word", args: ["abc"]), .allow(.command(CommandSpec(
            executable: "/usr/bin/grep", arguments: ["-r", "abc"], timeout: .seconds(300), outputLimit: defaultLimit)))),
        // Metacharacters are passed as literal argv elements when the pattern allows them.
        .init(.exec(name: "echo-anything", args: ["$(id); rm -rf /"]), .allow(.command(CommandSpec(
            executable: "/bin/echo", arguments: ["$(id); rm -rf /"], timeout: .seconds(300), outputLimit: defaultLimit)))),
        .init(.exec(name: "echo-anything", args: ["a\u{0}b"]), .deny(.argumentRejected)),
    ]

    @Test(arguments: cases)
    func decidesAccordingToTheSamplePolicy(_ row: PolicyDecisionCase) throws {
        let decision = try PolicyTestFixtures.sample().decide(row.request)
        switch (row.expected, decision) {
        case (.allow(let expected), .allow(let resolved)):
            #expect(resolved == expected)
        case (.deny(let expected), .deny(let code, let reason)):
            #expect(code == expected)
            #expect(!reason.isEmpty)
        default:
            Issue.record("expected \(row.expected), got \(decision)")
        }
    }

    @Test func explainsDenialsInWordsAPersonUnderstands() throws {
        let policy = try PolicyTestFixtures.sample()
        #expect(policy.decide(.exec(name: "rm-rf", args: [])) ==
            .deny(code: .commandNotAllowed, reason: "command 'rm-rf' is not in the agent allowlist"))
        #expect(policy.decide(.service(op: .stop, unit: "sshd")) ==
            .deny(code: .serviceNotAllowed, reason: "service 'sshd' op 'stop' not allowed"))
        #expect(policy.decide(.service(op: .stop, unit: "nginx")) ==
            .deny(code: .operationNotAllowed, reason: "service 'nginx' op 'stop' not allowed (allowed: restart, status)"))
        #expect(policy.decide(.exec(name: "disk-usage", args: ["/", "/tmp"])) ==
            .deny(code: .tooManyArguments, reason: "command 'disk-usage' takes at most 0 extra argument(s), got 2"))
        #expect(policy.decide(.exec(name: "logs", args: ["ok", "B@d"])) ==
            .deny(code: .argumentRejected, reason: "argument 2 of command 'logs' (B@d) does not match ^[a-z0-9-]+$"))
    }

    @Test func defaultPolicyAllowsOnlyReadOnlyBuiltins() {
        let policy = AgentPolicy.default
        let allowed: [ActionRequest] = [.ping, .facts, .metrics]
        let denied: [ActionRequest] = [
            .reboot, .shell("true"), .exec(name: "disk-usage", args: []), .service(op: .status, unit: "nginx"),
        ]
        #expect(allowed.allSatisfy { policy.decide($0) == .allow(resolved: nil) })
        #expect(denied.allSatisfy { !policy.decide($0).isAllowed })
    }

    @Test func rebootAndShellCanBeEnabledAndUseTheSystemSettings() throws {
        let policy = try AgentPolicy.parse(yaml: """
            reboot: true
            shell: true
            limits: {default_timeout: 90s, output_max_bytes: 2048}
            system: {reboot_command: [/sbin/shutdown, -r, now]}
            """)
        #expect(policy.decide(.reboot) == .allow(resolved: .reboot(argv: ["/sbin/shutdown", "-r", "now"])))
        #expect(policy.decide(.shell("uptime; id")) == .allow(resolved: .command(CommandSpec(
            executable: "/bin/sh", arguments: ["-c", "uptime; id"], timeout: .seconds(90), outputLimit: 2048))))
    }
}
