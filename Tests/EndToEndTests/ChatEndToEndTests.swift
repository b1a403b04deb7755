import Foundation
import Testing

/// The chat core through the terminal room (`steward chat`), against a real controller and agent:
/// roles, denial with a reason, approval by a second person only, and the audit trail.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ChatEndToEndTests {
    static let policy = """
        identities:
          - {platform: terminal, user: bob, roles: [viewer]}
          - {platform: terminal, user: alice, roles: [operator]}
          - {platform: terminal, user: carol, roles: [approver, viewer]}
        roles:
          viewer:
            rules:
              - {commands: [ping, facts, metrics, agents, history, job], targets: all}
          operator:
            inherits: [viewer]
            rules:
              - {commands: [reboot], targets: "web-*", approval: {approvers: [approver], expires: 30m}}
          approver:
            rules:
              - {commands: [approve, deny], targets: all}
        """

    @Test func viewerIsDeniedRebootAndOperatorNeedsAnotherPersonsApproval() async throws {
        try Harness.requireBinaries()
        let root = try Harness.temporaryDirectory("chat")
        let bootIDFile = "\(root)/boot_id"
        try "boot-1\n".write(toFile: bootIDFile, atomically: true, encoding: .utf8)
        let controller = ControllerUnderTest(root: root)
        try FileManager.default.createDirectory(atPath: controller.stateDir, withIntermediateDirectories: true)
        try Self.policy.write(toFile: "\(controller.stateDir)/policy.yaml", atomically: true, encoding: .utf8)
        let web = try AgentUnderTest(root: root, name: "web-01", policy: Policies.rebootable(bootIDFile: bootIDFile))

        try await withLogsOnFailure([("controller", { controller.log }), ("web-01", { web.log })], cleanup: { await web.stop(); await controller.stop() }) {
            try await controller.start()
            try #require(try await web.enroll(token: try await controller.createToken(labels: "role=web")).status == 0)
            try web.start()
            try await Harness.eventually("web-01 online") { try await controller.agents().first?.state == "online" }
            var tokens: [String: String] = [:]
            for user in ["bob", "alice", "carol"] {
                let created = try await controller.cli(["users", "add", user])
                try #require(created.status == 0, "\(created.stderr)")
                let path = "\(root)/\(user).token"
                try created.stdout.write(toFile: path, atomically: true, encoding: .utf8)
                tokens[user] = path
            }
            func chat(_ user: String, _ line: String) async throws -> String {
                let output = try await controller.cli(["chat", "--token-file", tokens[user]!, "--command", line])
                try #require(output.status == 0, "\(user): \(output.stderr)")
                return output.stdout
            }

            // A viewer may read metrics but not reboot; the refusal says why.
            let metrics = try await chat("bob", "metrics all")
            #expect(metrics.contains("1 succeeded") && metrics.contains("CPU%"), "\(metrics)")
            let denied = try await chat("bob", "reboot web-01")
            #expect(denied.contains("denied: bob (viewer) may not run reboot on web-01"), "\(denied)")

            // An operator's reboot waits for approval by someone else.
            let asked = try await chat("alice", "reboot web-01")
            let ticket = try #require(asked.firstMatch(of: /`approve ([A-Za-z0-9]+)`/)?.1, "\(asked)")
            #expect(asked.contains("needs approval"))
            let selfApproval = try await chat("alice", "approve \(ticket)")
            #expect(selfApproval.contains("cannot approve"), "\(selfApproval)")
            let byViewer = try await chat("bob", "approve \(ticket)")
            #expect(byViewer.contains("denied") || byViewer.contains("cannot approve"), "\(byViewer)")
            #expect(web.process?.isRunning == true, "nothing ran before the approval")

            // The approver approves: the reboot runs; the agent "reboots" and comes back with a new boot id.
            async let approved = chat("carol", "approve \(String(ticket))")
            try await Harness.eventually("the agent goes down for its reboot") { web.process?.isRunning == false }
            try web.start()
            let answer = try await approved
            #expect(answer.contains("approved by carol"), "\(answer)")
            #expect(answer.contains("reboot on 1 host: 1 succeeded"), "\(answer)")

            // Every step is in the audit trail, and the chain verifies.
            struct Entry: Decodable { var kind: String; var actor: String; var summary: String }
            let audit: [Entry] = try await controller.json(["audit", "show", "--limit", "200"])
            let lines = audit.map { "\($0.kind) \($0.actor) \($0.summary)" }
            #expect(lines.contains { $0.hasPrefix("decision terminal:bob denied reboot") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("decision terminal:alice approval requested for reboot") })
            #expect(lines.contains { $0.hasPrefix("approval terminal:alice approval refused") })
            #expect(lines.contains { $0.hasPrefix("approval terminal:carol approved reboot on web-01") })
            #expect(lines.contains { $0.hasPrefix("job_started terminal:alice") })
            #expect(lines.contains { $0.hasPrefix("job_finished terminal:alice") })
            let verify = try await controller.cli(["audit", "verify"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }
}
