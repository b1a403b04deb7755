import Foundation
@testable import StewardController
import Testing

@Suite struct ChatJobViewTests {
    func job(runs: [API.Run]) -> API.Job {
        API.Job(id: "01JOBJOBJOBJOBJOBJOBJOBJOB", createdAt: Date(timeIntervalSince1970: 0), requestedBy: "slack:U1", source: "chat",
                command: "exec disk-usage", target: "role=web", status: runs.allSatisfy(\.final) ? "finished" : "running",
                finishedAt: nil, runs: runs)
    }

    func run(_ name: String, _ status: String, final: Bool, exit: Int? = nil) -> API.Run {
        API.Run(agentID: name, agentName: name, status: status, final: final, exitCode: exit, signal: nil, error: nil,
                startedAt: nil, finishedAt: nil, durationMs: final ? 12 : nil, stdoutBytes: 0, stderrBytes: 0, truncated: false,
                structuredJSON: nil)
    }

    @Test func progressShowsHostsDoneAndAcknowledgesWhoAsked() {
        let view = ChatJobView.render(
            job(runs: [run("web-01", "succeeded", final: true, exit: 0), run("web-02", "running", final: false)]),
            askedBy: "alice", output: [:], limit: 4000, consoleURL: nil)
        #expect(view.plainText.hasPrefix("job 01JOBJOBJOBJOBJOBJOBJOBJOB `exec disk-usage` on 2 hosts, asked by alice"))
        #expect(view.plainText.contains("1/2 hosts done: 1 succeeded"))
    }

    @Test func finalSummaryHasPerHostTable() {
        let view = ChatJobView.render(
            job(runs: [run("web-01", "succeeded", final: true, exit: 0), run("web-02", "failed", final: true, exit: 3)]),
            askedBy: "alice", output: ["web-02": "disk full"], limit: 4000, consoleURL: nil)
        #expect(view.plainText.contains("1 succeeded, 1 failed"))
        #expect(view.plainText.contains("web-02  failed"))
        #expect(view.plainText.contains("web-02 | disk full"))
    }

    @Test func longOutputIsCutAtThePlatformLimitWithAPointerToTheFullLog() {
        let output = String(repeating: "x", count: 50_000)
        let view = ChatJobView.render(
            job(runs: [run("web-01", "succeeded", final: true, exit: 0)]), askedBy: "alice", output: ["web-01": output],
            limit: 4000, consoleURL: "http://127.0.0.1:7080")
        #expect(view.markdown.count <= 4000)
        #expect(view.plainText.contains("full log: `job 01JOBJOBJOBJOBJOBJOBJOBJOB` or http://127.0.0.1:7080/jobs/01JOBJOBJOBJOBJOBJOBJOBJOB"))
    }
}
