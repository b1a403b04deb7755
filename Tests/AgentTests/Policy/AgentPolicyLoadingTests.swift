import Foundation
import Testing
@testable import StewardAgent

@Suite("AgentPolicy loading")
struct AgentPolicyLoadingTests {
    @Test func parsesTheSamplePolicyCompletely() throws {
        let policy = try PolicyTestFixtures.sample()
        #expect(policy.services == ["nginx": [.status, .restart], "postgresql": [.status]])
        #expect(!policy.rebootAllowed)
        #expect(!policy.shellAllowed)
        #expect(policy.commands["disk-usage"] == AgentPolicy.CommandRule(
            argv: ["/usr/bin/df", "-h"], timeout: .seconds(30), environment: ["LC_ALL": "C"]))
        let logs = try #require(policy.commands["logs"])
        #expect(logs.maxArgs == 2)
        #expect(logs.argPattern?.source == "^[a-z0-9-]+$")
        #expect(logs.timeout == nil)
        #expect(policy.commands.count == 4)
        #expect(policy.limits == AgentPolicy.Limits(outputMaxBytes: 1_048_576, defaultTimeout: .seconds(300), maxConcurrentJobs: 8))
        #expect(policy.system == AgentPolicy.SystemSettings())
    }

    @Test func absentFileIsTheDefaultPolicy() throws {
        let policy = try AgentPolicy.load(from: "/nonexistent/steward/agent.yaml")
        #expect(policy == .default)
        #expect(policy.services.isEmpty && policy.commands.isEmpty)
        #expect(!policy.rebootAllowed && !policy.shellAllowed)
    }

    @Test(arguments: ["", "# nothing allowed here\n", "---\n"])
    func emptyDocumentIsTheDefaultPolicy(yaml: String) throws {
        #expect(try AgentPolicy.parse(yaml: yaml) == .default)
    }

    @Test func loadsAFileAndNamesItInErrors() throws {
        let scratch = try ExecutionScratchDirectory()
        let good = scratch.file("agent.yaml")
        try "reboot: true\nservices: {nginx: [status]}\n".write(toFile: good, atomically: true, encoding: .utf8)
        let policy = try AgentPolicy.load(from: good)
        #expect(policy.rebootAllowed)
        #expect(policy.services == ["nginx": [.status]])

        let bad = scratch.file("bad.yaml")
        try "reboot: true\nservices: {nginx: [status]}\nshel: true\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let error = #expect(throws: PolicyError.self) { _ = try AgentPolicy.load(from: bad) }
        #expect(error?.code == .unknownKey)
        #expect(error?.description.hasPrefix("\(bad):3: shel: unknown key") == true)
    }

    @Test func directoryIsUnreadableNotDefault() {
        let error = #expect(throws: PolicyError.self) { _ = try AgentPolicy.load(from: "/tmp") }
        #expect(error?.code == .unreadable)
    }

    @Test func nonUTF8FileIsUnreadable() throws {
        let scratch = try ExecutionScratchDirectory()
        let path = scratch.file("agent.yaml")
        try Data([0x72, 0x65, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: PolicyError.self) { _ = try AgentPolicy.load(from: path) }
        #expect(error?.code == .unreadable)
    }

    @Test func oversizedFileIsUnreadable() throws {
        let scratch = try ExecutionScratchDirectory()
        let path = scratch.file("agent.yaml")
        let filler = String(repeating: "# padding padding padding padding\n", count: AgentPolicy.maxFileSize / 30)
        try filler.write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: PolicyError.self) { _ = try AgentPolicy.load(from: path) }
        #expect(error?.code == .unreadable)
    }

    @Test func aliasesShareValuesBetweenEntries() throws {
        let policy = try AgentPolicy.parse(yaml: "services:\n  nginx: &ops [status, restart]\n  haproxy: *ops")
        #expect(policy.services["haproxy"] == [.status, .restart])
    }

    @Test func acceptsLiteralScalarsAsStringsInArgvAndEnv() throws {
        let policy = try AgentPolicy.parse(yaml: """
            commands:
              tail:
                argv: [/usr/bin/tail, -n, 100, /var/log/syslog]
                env: {DEBUG: 1, QUIET: yes}
                user: ~
            """)
        let rule = try #require(policy.commands["tail"])
        #expect(rule.argv == ["/usr/bin/tail", "-n", "100", "/var/log/syslog"])
        #expect(rule.environment == ["DEBUG": "1", "QUIET": "yes"])
    }
}

@Suite("PolicyDuration")
struct PolicyDurationTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("5m", .seconds(300)),
        ("1h", .seconds(3600)), ("24h", .seconds(86_400)), ("1ms", .milliseconds(1)),
    ])
    func parsesSupportedUnits(text: String, expected: Duration) {
        #expect(PolicyDuration.parse(text) == expected)
    }

    @Test(arguments: ["", "s", "5", "5 s", " 5s", "5S", "-5s", "+5s", "1.5s", "5d", "0ms", "25h", "9999999999s", "５s", "5sec", "1m30s"])
    func rejectsEverythingElse(text: String) {
        #expect(PolicyDuration.parse(text) == nil)
    }
}
