import Foundation
import Testing

/// A real `steward serve` process with its own state directory.
final class ControllerUnderTest: @unchecked Sendable {
    let stateDir: String
    let logPath: String
    private(set) var process: BackgroundProcess?
    private(set) var agentAddress = ""
    private(set) var apiURL = ""

    init(root: String, name: String = "controller") {
        stateDir = "\(root)/\(name)"
        logPath = "\(root)/\(name).log"
    }

    /// Starts on ephemeral ports, or on the given ones (to restart where agents expect it); `config` is a
    /// `controller.yaml` (chat connections, ...), `environment` adds variables (secrets given as `*_env`).
    func start(
        agentListen: String = "127.0.0.1:0", apiListen: String = "127.0.0.1:0", config: String? = nil,
        environment: [String: String] = [:]
    ) async throws {
        try? FileManager.default.removeItem(atPath: "\(stateDir)/controller.json")
        let process = try BackgroundProcess(
            Harness.steward,
            ["serve", "--state-dir", stateDir, "--agent-listen", agentListen, "--api-listen", apiListen, "--log-level", "debug"]
                + (config.map { ["--config", $0] } ?? []),
            logPath: logPath, environment: environment)
        self.process = process
        try await Harness.eventually("controller \(stateDir) publishes its endpoints", timeout: .seconds(60)) {
            guard process.isRunning else { throw HarnessError("controller exited:\n\(process.log.suffix(3000))") }
            guard let data = FileManager.default.contents(atPath: "\(stateDir)/controller.json"),
                let endpoints = try? JSONDecoder().decode(Endpoints.self, from: data), endpoints.pid == process.pid
            else { return false }
            agentAddress = endpoints.agents
            apiURL = endpoints.api
            return true
        }
    }

    /// SIGKILL, no goodbye: what a crash or OOM kill looks like.
    func crash() {
        process?.kill(SIGKILL)
        process?.process.waitUntilExit()
    }

    func stop(grace: Duration = .seconds(5)) async { await process?.stop(grace: grace) }

    /// Whether the process ended by itself (exit), not by a signal such as the SIGKILL after `stop`'s grace.
    var exitedByItself: Bool { process?.process.terminationReason == .exit }

    /// `steward ARGS --state-dir ...`.
    func cli(_ arguments: [String]) async throws -> CommandOutput {
        // Through the environment, so options may sit anywhere (`run` passes its trailing words through).
        try await Harness.run(Harness.steward, arguments, environment: ["STEWARD_STATE_DIR": stateDir])
    }

    func json<T: Decodable>(_ arguments: [String], as type: T.Type = T.self) async throws -> T {
        let output = try await cli(arguments + ["--json"])
        guard output.status == 0 else { throw HarnessError("steward \(arguments) failed: \(output.stderr)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(output.stdout.utf8))
    }

    func createToken(labels: String, uses: Int = 1) async throws -> String {
        struct Created: Decodable { var token: String }
        return try await json(["tokens", "create", "--labels", labels, "--uses", "\(uses)", "--ttl", "10m"], as: Created.self).token
    }

    func agents() async throws -> [AgentRow] { try await json(["agents"]) }

    func job(_ id: String) async throws -> JobView { try await json(["job", id]) }

    var log: String { process?.log ?? "" }

    struct Endpoints: Decodable {
        var api: String
        var agents: String
        var pid: Int32
    }
}

/// A real `steward-agent` with its own state directory and policy file.
final class AgentUnderTest: @unchecked Sendable {
    let name: String
    let stateDir: String
    let policyPath: String
    let logPath: String
    private(set) var process: BackgroundProcess?

    init(root: String, name: String, policy: String) throws {
        self.name = name
        stateDir = "\(root)/agent-\(name)"
        policyPath = "\(root)/agent-\(name).yaml"
        logPath = "\(root)/agent-\(name).log"
        try policy.write(toFile: policyPath, atomically: true, encoding: .utf8)
    }

    /// `launcher` runs the agent through another command, e.g. `ip netns exec NAME` (which execs it in place).
    func enroll(token: String, launcher: [String] = []) async throws -> CommandOutput {
        let command = launcher + [Harness.stewardAgent, "enroll", "--token", token, "--name", name, "--state-dir", stateDir]
        return try await Harness.run(command[0], Array(command.dropFirst()))
    }

    func start(launcher: [String] = []) throws {
        let command = launcher + [Harness.stewardAgent, "run", "--state-dir", stateDir, "--policy", policyPath, "--log-level", "debug"]
        process = try BackgroundProcess(command[0], Array(command.dropFirst()), logPath: logPath)
    }

    func stop() async { await process?.stop() }

    var log: String { process?.log ?? ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "") }
}

/// The parts of `steward agents --json` the tests read.
struct AgentRow: Decodable {
    var id: String
    var name: String
    var state: String
    var labels: [String: String]
    var boot_id: String?
}

/// The parts of `steward job ID --json` the tests read.
struct JobView: Decodable {
    var id: String
    var status: String
    var command: String
    var runs: [RunView]

    struct RunView: Decodable {
        var agent_name: String
        var status: String
        var final: Bool
        var exit_code: Int?
        var error: String?
        var stdout_bytes: Int64
        var stderr_bytes: Int64
        var structured_json: String?
    }
}

/// One line of `steward history HOST --json`.
struct HistoryView: Decodable {
    var job_id: String
    var command: String
    var status: String
    var exit_code: Int?
}

/// Prints the processes' logs when the body fails, so a red CI run says why.
/// `cleanup` stops the test's processes before the test returns, pass or fail, so none outlive the run.
func withLogsOnFailure(
    _ sources: [(String, () -> String)], cleanup: () async -> Void = {}, _ body: () async throws -> Void
) async throws {
    do {
        try await body()
    } catch {
        for (name, log) in sources {
            print("----- \(name) log (last 4000 bytes) -----\n\(log().suffix(4000))")
        }
        await cleanup()
        throw error
    }
    await cleanup()
}
