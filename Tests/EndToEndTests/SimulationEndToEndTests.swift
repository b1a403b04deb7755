import Foundation
import Testing

/// `steward-agent simulate`: several identities in one process, each enrolled and connected over
/// real mutual TLS to a real `steward serve`, answering jobs through the real protocol.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SimulationEndToEndTests {
    @Test func simulatedAgentsEnrollAnswerJobsAndReconnectWithoutReenrolling() async throws {
        try Harness.requireBinaries()
        let root = try Harness.temporaryDirectory("simulate")
        let controller = ControllerUnderTest(root: root)
        let fleet = SimulatorUnderTest(root: root)

        try await withLogsOnFailure([("controller", { controller.log }), ("fleet", { fleet.log })], cleanup: { await fleet.stop(); await controller.stop() }) {
            try await controller.start()
            let token = try await controller.createToken(labels: "role=sim", uses: 3)
            try fleet.start(["--count", "3", "--token", token, "--exec-reply", "canned reply"])
            try await Harness.eventually("three simulated agents online") {
                try await controller.agents().filter { $0.state == "online" }.count == 3
            }
            let agents = try await controller.agents()
            #expect(Set(agents.map(\.name)) == ["sim-00000", "sim-00001", "sim-00002"])
            #expect(agents.allSatisfy { $0.labels["role"] == "sim" && $0.boot_id == "simulated-boot-\($0.name)" })
            #expect(Set(agents.map(\.id)).count == 3, "each identity has its own agent id")
            #expect(fleet.log.contains("enrolled 3/3") && fleet.log.contains("enrolled 3/3") && fleet.log.contains("simulating 3 agents (3 newly enrolled)"))

            let ping = try await controller.cli(["run", "--target", "all", "ping"])
            #expect(ping.status == 0, "\(ping.stdout)\(ping.stderr)")
            #expect(ping.stdout.contains("3 succeeded"), "\(ping.stdout)")

            let exec = try await controller.cli(["run", "--target", "sim-00001", "exec", "uptime"])
            #expect(exec.status == 0, "\(exec.stdout)\(exec.stderr)")
            #expect(exec.stdout.contains("sim-00001 | canned reply"), "\(exec.stdout)")

            let reboot = try await controller.cli(["run", "--target", "sim-00002", "reboot"])
            #expect(reboot.status != 0, "a simulated host refuses reboot: \(reboot.stdout)")

            // Restart without a token (all three uses are spent): the stored identities reconnect.
            await fleet.stop()
            try await Harness.eventually("agents offline after the simulator stops") {
                try await controller.agents().allSatisfy { $0.state == "offline" }
            }
            try fleet.start(["--count", "3"])
            try await Harness.eventually("the same three agents back online") {
                try await controller.agents().filter { $0.state == "online" }.count == 3
            }
            #expect(try await controller.agents().count == 3, "no new enrollments")
            let again = try await controller.cli(["run", "--target", "all", "ping"])
            #expect(again.stdout.contains("3 succeeded"), "\(again.stdout)")
            // Stopped here, not only in the defer: a Task started at exit may never run.
            await fleet.stop()
            await controller.stop()
        }
    }
}

/// A `steward-agent simulate` process over one fleet state directory; restartable.
final class SimulatorUnderTest: @unchecked Sendable {
    let stateDir: String
    let logPath: String
    private var process: BackgroundProcess?

    init(root: String) {
        stateDir = "\(root)/fleet"
        logPath = "\(root)/fleet.log"
    }

    func start(_ arguments: [String]) throws {
        process = try BackgroundProcess(
            Harness.stewardAgent, ["simulate", "--state-dir", stateDir] + arguments, logPath: logPath)
    }

    func stop() async { await process?.stop() }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}
