import Foundation
import Testing

/// The real `steward` and `steward-agent` binaries on loopback: enrollment, jobs, history, revocation.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct CoreEndToEndTests {
    @Test func enrollsRunsJobsAndKeepsHistory() async throws {
        try Harness.requireBinaries()
        let root = try Harness.temporaryDirectory("core")
        let controller = ControllerUnderTest(root: root)
        let web = try AgentUnderTest(root: root, name: "web-01", policy: Policies.standard)
        let db = try AgentUnderTest(root: root, name: "db-01", policy: Policies.standard)
        let intruder = try AgentUnderTest(root: root, name: "web-02", policy: Policies.standard)

        try await withLogsOnFailure([("controller", { controller.log }), ("web-01", { web.log }), ("db-01", { db.log })], cleanup: { await web.stop(); await db.stop(); await controller.stop() }) {
            try await controller.start()

            // Enrollment: one token per host; a second use of a single-use token is refused.
            let webToken = try await controller.createToken(labels: "role=web")
            #expect(webToken.hasPrefix("stw1_"))
            let tokenLine = try await controller.cli(["tokens", "create", "--labels", "role=db"])
            #expect(tokenLine.stdout.hasPrefix("steward-agent enroll --token stw1_"))
            let dbToken = try #require(tokenLine.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            let enrolled = try await web.enroll(token: webToken)
            try #require(enrolled.status == 0, "enroll failed: \(enrolled.stderr)")
            let reused = try await intruder.enroll(token: webToken)
            #expect(reused.status != 0)
            #expect(reused.stderr.contains("already been used"), "got: \(reused.stderr)")
            #expect(reused.stderr.split(separator: "\n").count == 1, "one-line reason, got: \(reused.stderr)")
            #expect(try await db.enroll(token: dbToken).status == 0)

            try web.start()
            try db.start()
            try await Harness.eventually("both agents online") {
                try await controller.agents().filter { $0.state == "online" }.count == 2
            }
            let listing = try await controller.cli(["agents"])
            #expect(listing.stdout.contains { _ in true } && listing.stdout.split(separator: "\n").contains { $0.hasPrefix("web-01") && $0.contains("online") && $0.contains("role=web") })

            // Metrics from both hosts as a table.
            let metrics = try await controller.cli(["run", "--target", "all", "metrics"])
            #expect(metrics.status == 0, "\(metrics.stdout)\(metrics.stderr)")
            #expect(metrics.stdout.contains("CPU%") && metrics.stdout.contains("web-01") && metrics.stdout.contains("db-01"))
            #expect(metrics.stdout.contains("2 succeeded"))

            // A named command on a label selector, its output streamed with the host prefix.
            let stream = try await controller.cli(["run", "--target", "role=web", "exec", "stream"])
            #expect(stream.status == 0)
            for line in ["web-01 | line1", "web-01 | line2", "web-01 | line3"] { #expect(stream.stdout.contains(line)) }
            #expect(!stream.stdout.contains("db-01 |"))

            // Arguments reach the command as argv: shell metacharacters are printed, never run.
            let literal = try await controller.cli(["run", "--target", "web-01", "exec", "echo-args", "$(id)", "a;b|c"])
            #expect(literal.status == 0)
            #expect(literal.stdout.contains("web-01 | $(id) a;b|c"))

            // A failing command: non-zero exit for the CLI, exit code 3 recorded.
            let failing = try await controller.cli(["run", "--target", "web-01", "exec", "fail"])
            #expect(failing.status != 0)
            #expect(failing.stdout.contains("web-01 ! oops"))
            #expect(failing.stdout.contains("failed"))
            #expect(failing.stderr.hasPrefix("error: 1 of 1 host(s) did not succeed (job "), "\(failing.stderr)")
            #expect(failing.stderr.split(separator: "\n").count == 1, "one-line reason")

            // A timeout: the process group is killed and the run is timed_out.
            let slow = try await controller.cli(["run", "--target", "web-01", "--timeout", "2s", "exec", "slow"])
            #expect(slow.status != 0)
            #expect(slow.stdout.contains("timed_out"), "\(slow.stdout)")

            // Not in the allowlist: rejected by the agent's own policy, recorded, non-zero exit.
            let denied = try await controller.cli(["run", "--target", "web-01", "exec", "rm-rf"])
            #expect(denied.status != 0)
            #expect(denied.stdout.contains("policy_denied"))

            // History, newest first, with statuses and exit codes.
            let history: [HistoryView] = try await controller.json(["history", "web-01"])
            #expect(history.map(\.command) == ["exec rm-rf", "exec slow", "exec fail", "exec echo-args $(id) a;b|c", "exec stream", "metrics"])
            #expect(history.map(\.status) == ["rejected", "timed_out", "failed", "succeeded", "succeeded", "succeeded"])
            #expect(history.first { $0.command == "exec fail" }?.exit_code == 3)
            let dbHistory: [HistoryView] = try await controller.json(["history", "db-01"])
            #expect(dbHistory.map(\.command) == ["metrics"])
            let plainHistory = try await controller.cli(["history", "web-01"])
            #expect(plainHistory.stdout.contains("JOB") && plainHistory.stdout.contains("timed_out"))

            // The job view has the full output and per-host results.
            let streamJob = try await controller.job(try #require(history.first { $0.command == "exec stream" }).job_id)
            #expect(streamJob.runs.map(\.agent_name) == ["web-01"])
            #expect(streamJob.runs.first?.stdout_bytes == 18)

            // Revocation: dropped at once, reconnects refused, no new jobs.
            let revoke = try await controller.cli(["agents", "revoke", "db-01"])
            #expect(revoke.status == 0)
            try await Harness.eventually("db-01 refused after revocation") { db.log.contains("revoked") }
            try await Task.sleep(for: .seconds(3))
            #expect(try await controller.agents().first { $0.name == "db-01" }?.state == "revoked")
            let afterRevoke = try await controller.cli(["run", "--target", "db-01", "ping"])
            #expect(afterRevoke.status != 0)
            #expect(afterRevoke.stderr.contains("no enrolled agent matches"))
        }
    }

    @Test func unknownCommandsAndBadFlagsFailWithOneLine() async throws {
        try Harness.requireBinaries()
        let root = try Harness.temporaryDirectory("cli")
        let noController = try await Harness.run(Harness.steward, ["agents", "--state-dir", "\(root)/none"])
        #expect(noController.status != 0)
        #expect(noController.stderr.hasPrefix("error: no running controller found"))
        #expect(noController.stderr.split(separator: "\n").count == 1)
        let badTarget = try await Harness.run(Harness.steward, ["history", "--limit", "0", "web-01", "--state-dir", root])
        #expect(badTarget.status != 0)
        let help = try await Harness.run(Harness.steward, ["run", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--target"))
        let badToken = try await Harness.run(Harness.stewardAgent, ["enroll", "--token", "stw1_garbage", "--name", "x", "--state-dir", "\(root)/a"])
        #expect(badToken.status != 0)
        #expect(badToken.stderr.hasPrefix("error: "))
    }
}
