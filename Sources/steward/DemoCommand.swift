import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import StewardAgent
import StewardController

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a controller and two local agents (real TLS on loopback) and open a prompt.",
        discussion: "The prompt speaks the chat command language: agents, metrics all, ping role=web, run uptime on all, history web-01, job ID.")

    @Option(help: "Folder for the demo's state (default: a new temporary folder).")
    var dir: String?

    @Option(name: .customLong("command"), help: "Run this prompt command and exit when all are done (repeatable).")
    var commands: [String] = []

    @Option(name: .long, help: "Log level for the controller and agents.")
    var logLevel: String = "warning"

    func run() async throws {
        try await reportingFailures {
            let level = try LogSetup.level(logLevel)
            LogSetup.bootstrap(level: level)
            var logger = Logger(label: "steward-demo")
            logger.logLevel = level
            let base = try dir ?? Self.makeTemporaryDirectory()
            var configuration = ControllerConfiguration(stateDirectory: "\(base)/controller")
            (configuration.agentHost, configuration.agentPort) = ("127.0.0.1", 0)
            (configuration.apiHost, configuration.apiPort) = ("127.0.0.1", 0)
            let controller = try ControllerRuntime.prepare(configuration, logger: logger)
            let adminToken = try await controller.ensureAdminToken()
            let driver = DemoDriver(
                base: base, controller: controller, adminToken: adminToken, scripted: commands, logger: logger)
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = try controller.services().map { .init(service: $0) }
            services.append(.init(service: driver, successTerminationBehavior: .gracefullyShutdownGroup,
                                  failureTerminationBehavior: .gracefullyShutdownGroup))
            let group = ServiceGroup(configuration: .init(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
            print("steward demo: state in \(base)")
            try await group.run()
        }
    }

    static func makeTemporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steward-demo-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }
}

/// Enrolls and runs the demo's agents, then drives the prompt; ends the demo when the prompt ends.
struct DemoDriver: Service, CustomStringConvertible {
    var description: String { "DemoDriver" }

    let base: String
    let controller: ControllerRuntime
    let adminToken: String
    let scripted: [String]
    let logger: Logger

    static let agents: [(name: String, labels: [String: String])] = [("web-01", ["role": "web"]), ("db-01", ["role": "db"])]

    static let policy = """
        # Demo policy: what these agents allow beyond ping, facts and metrics.
        commands:
          uptime: {argv: ["/usr/bin/uptime"], timeout: 10s}
          disk-usage: {argv: ["/bin/df", "-h"], timeout: 10s}
          hello: {argv: ["/bin/echo", "hello from steward"]}
        """

    func run() async throws {
        let issuer = controller.tokenIssuer()
        var agentServices: [AgentService] = []
        for agent in Self.agents {
            let created = try await issuer.create(API.CreateToken(labels: agent.labels, ttlSeconds: 600, uses: 1), createdBy: "demo")
            let stateDirectory = "\(base)/agent-\(agent.name)"
            _ = try await AgentRuntime.enroll(token: created.token, name: agent.name, stateDirectory: stateDirectory, logger: logger)
            let policy = try AgentPolicy.parse(yaml: Self.policy, path: "demo-policy.yaml")
            agentServices.append(try await AgentRuntime.makeService(
                stateDirectory: AgentStateDirectory(path: stateDirectory), policy: policy, logger: logger))
        }
        let client = StewardClient(baseURL: await controller.apiURL(), token: adminToken)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in agentServices {
                group.addTask { try await service.run() }
            }
            try await waitForAgents(client: client)
            try await prompt(client: client)
            group.cancelAll()
        }
    }

    private func waitForAgents(client: StewardClient) async throws {
        for _ in 0..<100 {
            let agents: [API.Agent] = try await client.get("/api/v1/agents")
            if agents.filter({ $0.state == "online" }).count == Self.agents.count {
                print(AgentsTable.render(agents, now: Date()))
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClientError("the demo agents did not come online within 10 s")
    }

    /// The demo talks to the bot through the terminal console room, like `steward chat`.
    private func prompt(client: StewardClient) async throws {
        let room = TerminalRoom(client: client, room: "demo")
        var seen = try await room.catchUp()
        if !scripted.isEmpty {
            for line in scripted {
                print("steward> \(line)")
                try await room.say(line)
                seen = try await room.printUntilQuiet(after: seen)
            }
            return
        }
        print("Type chat commands (help lists them; try `metrics all`, `run uptime on all`, `history web-01`); quit to stop.")
        print("steward> ", terminator: "")
        fflush(nil)
        for await line in StandardInputLines.stream() {
            if line == "quit" || line == "exit" { break }
            if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                try await room.say(line)
                seen = try await room.printUntilQuiet(after: seen)
            }
            print("steward> ", terminator: "")
            fflush(nil)
        }
        print("")
    }
}
