import Foundation
import Testing

extension FaultSuites {
    /// SIGKILL of the controller in the middle of a large fan-out whose output is still streaming: after a
    /// restart on the same state directory and ports, SQLite holds every run once, every byte once.
    @Suite(.serialized, .timeLimit(.minutes(5)))
    struct StreamingFanOutCrashTests {
        static let agents = Int(ProcessInfo.processInfo.environment["STEWARD_E2E_FANOUT_AGENTS"] ?? "") ?? 200
        static let chunks = 20
        static let intervalMilliseconds = 200
        static let reply = "fan-out output line from a simulated agent\n"
        static var runBytes: Int64 { Int64(chunks * reply.utf8.count) }

        @Test func controllerKilledWhileAFanOutStreamsLosesAndDuplicatesNothing() async throws {
            try Harness.requireBinaries()
            try await FaultSuites.settle()
            let root = try Harness.temporaryDirectory("crash-fanout")
            let controller = ControllerUnderTest(root: root)
            // The 200 spools on tmpfs when there is one: their fsyncs would stall every other suite's disk I/O.
            let fleetRoot = Self.memoryBackedDirectory() ?? root
            let fleet = SimulatorUnderTest(root: fleetRoot)
            let started = ContinuousClock.now
            var phases: [String] = []
            func phase(_ name: String) { phases.append("\(name) at \(started.duration(to: .now))") }

            try await withLogsOnFailure(
                [("controller", { controller.log }), ("fleet", { fleet.log })],
                cleanup: {
                    await fleet.stop()
                    await controller.stop()
                    if fleetRoot != root { try? FileManager.default.removeItem(atPath: fleetRoot) }
                }
            ) {
                try await controller.start()
                let token = try await controller.createToken(labels: "role=sim", uses: Self.agents)
                try fleet.start([
                    "--count", "\(Self.agents)", "--token", token, "--exec-reply", Self.reply,
                    "--exec-chunks", "\(Self.chunks)", "--exec-interval-ms", "\(Self.intervalMilliseconds)",
                ])
                try await Harness.eventually("\(Self.agents) simulated agents online", timeout: .seconds(180)) {
                    try await controller.agents().filter { $0.state == "online" }.count == Self.agents
                }
                phase("online")
                let store = try StoreReader(stateDir: controller.stateDir)

                let submitted = try await controller.cli(["run", "--target", "all", "--detach", "exec", "x"])
                let jobID = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                try #require(submitted.status == 0 && jobID.count == 26, "submit failed: \(submitted.stderr)")
                phase("submitted")

                // Kill once a tenth of the output is committed, long before the last chunk is due.
                let total = Self.agents * Self.chunks
                try await Harness.eventually("output streaming", timeout: .seconds(60)) {
                    try store.chunkCount(jobID) >= total / 10
                }
                let agentAddress = controller.agentAddress
                let apiAddress = String(controller.apiURL.dropFirst("http://".count))
                controller.crash()
                phase("killed")
                let atKill = (chunks: try store.chunkCount(jobID), statuses: try store.statusCounts(jobID), job: try store.jobStatus(jobID))
                print("at the kill: \(atKill.chunks)/\(total) chunks committed, runs \(atKill.statuses), job \(atKill.job ?? "?")")
                try #require(atKill.chunks < total && atKill.job == "running", "the kill came too late to test anything")
                #expect(atKill.chunks >= total / 10)

                try await controller.start(agentListen: agentAddress, apiListen: apiAddress)
                phase("restarted")
                try await Harness.eventually("the job finishes after the restart", timeout: .seconds(120)) {
                    try store.jobStatus(jobID) == "finished"
                }
                phase("finished")

                let runs = try store.runs(jobID)
                #expect(runs.count == Self.agents, "one run per agent")
                #expect(Set(runs.map(\.agentID)).count == Self.agents)
                #expect(try store.statusCounts(jobID) == ["succeeded": Self.agents])
                #expect(runs.filter { $0.stdoutBytes != Self.runBytes }.map { "\($0.agentID): \($0.stdoutBytes)" } == [])
                #expect(runs.allSatisfy { $0.stderrBytes == 0 && $0.error == nil })

                let chunksByAgent = Dictionary(grouping: try store.chunks(jobID), by: \.agentID)
                let expected = Data(String(repeating: Self.reply, count: Self.chunks).utf8)
                var problems: [String] = []
                for run in runs {
                    let chunks = chunksByAgent[run.agentID] ?? []
                    let coverage = ChunkCoverage(chunks)
                    if !coverage.isContiguous || coverage.bytes != run.stdoutBytes || chunks.contains(where: { $0.stream != 0 }) {
                        problems.append("\(run.agentID): \(coverage) for \(run.stdoutBytes) stdout bytes")
                    }
                    if Data(chunks.sorted { $0.offset < $1.offset }.flatMap(\.data)) != expected {
                        problems.append("\(run.agentID): stored bytes differ from the reply repeated \(Self.chunks) times")
                    }
                }
                #expect(problems.isEmpty, "\(problems.prefix(10))")
                let stored = chunksByAgent.values.joined().reduce(Int64(0)) { $0 + Int64($1.data.count) }
                #expect(stored == Int64(Self.agents) * Self.runBytes, "bytes stored across the job")
                print("fan-out crash: \(Self.agents) agents × \(Self.chunks) chunks; \(phases.joined(separator: ", "))")

                // The agents' spools drain once the results are acknowledged.
                try await Harness.eventually("every simulated spool is empty", timeout: .seconds(30)) {
                    (try FileManager.default.contentsOfDirectory(atPath: fleet.stateDir)).allSatisfy { name in
                        ((try? FileManager.default.contentsOfDirectory(atPath: "\(fleet.stateDir)/\(name)/spool")) ?? []).isEmpty
                    }
                }
                await fleet.stop()
                await controller.stop()
            }
        }

        /// A fresh directory under /dev/shm, nil where there is no writable tmpfs there.
        static func memoryBackedDirectory() -> String? {
            let path = "/dev/shm/steward-e2e-fanout-\(UUID().uuidString.prefix(8))"
            return (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)) != nil ? path : nil
        }
    }
}
