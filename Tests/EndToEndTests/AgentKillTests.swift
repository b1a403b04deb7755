import Foundation
import Testing

extension FaultSuites {
    /// SIGKILL of a real `steward-agent run` in the middle of its jobs, then a restart on the same state.
    @Suite(.serialized, .timeLimit(.minutes(5)))
    struct AgentKillTests {
        static let quickOutput = "quick result\n"
        /// A sleep length no other process on the machine uses, so the test can find the job's process.
        static let sleepArgument = "41.5\(Int.random(in: 100...999))"

        static var policy: String {
            """
            commands:
              quick:
                argv: ["/bin/echo", "quick result"]
              sleeper:
                argv: ["/usr/bin/sleep", "\(sleepArgument)"]
                timeout: 120s
            """
        }

        /// Through a proxy that swallows everything the agent sends: a quick job's result lands in the spool
        /// but never reaches the controller, and a long job is running, when the agent is SIGKILLed. After the
        /// restart the spooled result is delivered and stored exactly once, the long job ends `lost`, and its
        /// process, which outlived the agent, is killed by the restarted one.
        @Test func agentKilledMidJobDeliversItsSpooledResultOnceAndReportsTheRunningJobLost() async throws {
            try Harness.requireBinaries()
            try await FaultSuites.settle()
            let root = try Harness.temporaryDirectory("agent-kill")
            let controller = ControllerUnderTest(root: root)
            let agent = try AgentUnderTest(root: root, name: "web-01", policy: Self.policy)
            let proxy = try await FaultProxy()

            try await withLogsOnFailure(
                [("controller", { controller.log }), ("web-01", { agent.log })],
                cleanup: { await agent.stop(); await controller.stop(); await proxy.close(); Self.killOrphans() }
            ) {
                try await controller.start()
                let controllerPort = try #require(controller.agentAddress.split(separator: ":").last.flatMap { Int($0) })
                proxy.forward(to: controllerPort)
                try #require(try await agent.enroll(token: try await controller.createToken(labels: "role=web")).status == 0)
                try Self.pointAgent(stateDir: agent.stateDir, at: proxy.address)
                try agent.start()
                try await Harness.eventually("web-01 online through the proxy") { try await controller.agents().first?.state == "online" }
                let store = try StoreReader(stateDir: controller.stateDir)

                let slow = try await Self.submit(controller, "sleeper")
                try await Harness.eventually("the long job is running") { try await controller.job(slow).runs.first?.status == "running" }

                // From here the controller hears nothing from the agent; the quick job still reaches it.
                proxy.blackHoleUpstream(true)
                let quick = try await Self.submit(controller, "quick")
                let spooledResult = "\(agent.stateDir)/spool/\(quick)/result.pb"
                try await Harness.eventually("the quick job's result is in the agent's spool") { FileManager.default.fileExists(atPath: spooledResult) }
                try await Task.sleep(for: .milliseconds(300))
                #expect(proxy.swallowedBytes > 0, "the result was sent, and swallowed")
                #expect(try store.runs(quick).map(\.status) == ["offered"], "the controller never heard of the quick job's progress")
                #expect(try store.runs(slow).map(\.status) == ["running"])

                agent.process?.kill(SIGKILL)
                agent.process?.process.waitUntilExit()
                await proxy.cutAll()
                proxy.blackHoleUpstream(false)
                try await Harness.eventually("web-01 offline") { try await controller.agents().first?.state == "offline" }
                #expect(try store.runs(slow).map(\.status) == ["running"], "still running as far as the controller knows")
                // A SIGKILLed agent takes none of its commands with it: each leads its own session.
                let orphans = Self.jobProcesses()
                #expect(orphans.count == 1, "the long job's process outlived the agent: \(orphans)")

                try agent.start()
                try await Harness.eventually("both runs final after the restart", timeout: .seconds(60)) {
                    try store.runs(quick).first?.status == "succeeded" && store.runs(slow).first?.status == "lost"
                }

                let quickRuns = try store.runs(quick)
                #expect(quickRuns.count == 1)
                #expect(quickRuns.first?.stdoutBytes == Int64(Self.quickOutput.utf8.count))
                let quickChunks = try store.chunks(quick)
                #expect(ChunkCoverage(quickChunks) == ChunkCoverage([StoreReader.Chunk(
                    agentID: quickRuns.first?.agentID ?? "", stream: 0, offset: 0, data: Data(Self.quickOutput.utf8))]))
                #expect(String(decoding: quickChunks.flatMap(\.data), as: UTF8.self) == Self.quickOutput)
                #expect(try store.jobStatus(quick) == "finished")

                let slowRuns = try store.runs(slow)
                #expect(slowRuns.count == 1 && slowRuns.first?.status == "lost")
                // The restarted agent ended the process its predecessor left running, and says so.
                #expect(slowRuns.first?.error?.hasPrefix("agent restarted while the job was running; its processes (group ") == true, "\(slowRuns)")
                #expect(slowRuns.first?.error?.hasSuffix("were still running and have been killed") == true, "\(slowRuns)")
                try await Harness.eventually("the orphaned job process is gone") { Self.jobProcesses().isEmpty }
                #expect(try store.jobStatus(slow) == "finished")
                #expect(agent.log.contains("job was running when the agent stopped: reporting it lost"))

                let history: [HistoryView] = try await controller.json(["history", "web-01"])
                #expect(history.map(\.job_id).sorted() == [quick, slow].sorted(), "each job once in history")
                #expect(history.first { $0.job_id == quick }?.exit_code == 0)
                try await Harness.eventually("the agent's spool is empty once both results are acknowledged") {
                    ((try? FileManager.default.contentsOfDirectory(atPath: "\(agent.stateDir)/spool")) ?? []).isEmpty
                }
                // The same runs stay final: nothing is offered or run again after the restart.
                try await Task.sleep(for: .seconds(2))
                #expect(try store.runs(quick).map(\.status) == ["succeeded"] && store.runs(slow).map(\.status) == ["lost"])
                #expect(agent.log.components(separatedBy: "quick result").count <= 2)
            }
        }

        static func submit(_ controller: ControllerUnderTest, _ command: String) async throws -> String {
            let submitted = try await controller.cli(["run", "--target", "web-01", "--detach", "exec", command])
            let jobID = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(submitted.status == 0 && jobID.count == 26, "submit failed: \(submitted.stderr)")
            return jobID
        }

        /// Makes an enrolled agent dial `address` (the proxy) instead of the controller itself.
        static func pointAgent(stateDir: String, at address: String) throws {
            let path = "\(stateDir)/agent.json"
            var record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            record["controller"] = address
            try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: path))
        }

        /// Pids of this test's `sleep` job processes.
        static func jobProcesses() -> [Int32] {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return pids.compactMap(Int32.init).filter { pid in
                guard let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
                return cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) } == ["/usr/bin/sleep", sleepArgument]
            }
        }

        static func killOrphans() {
            for pid in jobProcesses() { kill(pid, SIGKILL) }
        }
    }
}
