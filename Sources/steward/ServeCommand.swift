import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import StewardController

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the controller: agent gateway (mutual TLS), HTTP API, job dispatcher and store.")

    @Option(name: .long, help: "State directory: CA, keys, SQLite, admin token (default: $STEWARD_STATE_DIR, /var/lib/steward as root, else ~/.local/state/steward).")
    var stateDir: String?

    @Option(name: .long, help: "Controller config file (YAML); flags override it.")
    var config: String?

    @Option(name: .long, help: "Address agents connect to (default 0.0.0.0:7443).")
    var agentListen: String?

    @Option(name: .long, help: "HTTP API and console address (default 127.0.0.1:7080).")
    var apiListen: String?

    @Option(name: .long, help: "host:port written into join tokens (default: derived from --agent-listen).")
    var advertise: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        try await reportingFailures {
            let level = try LogSetup.level(logLevel)
            LogSetup.bootstrap(level: level)
            var logger = Logger(label: "steward")
            logger.logLevel = level
            let configuration = try resolvedConfiguration()
            let runtime = try ControllerRuntime.prepare(configuration, logger: logger)
            try await runtime.ensureAdminToken()
            let group = ServiceGroup(
                services: try runtime.services(), gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
                logger: logger)
            logger.info("controller starting", metadata: ["state_dir": "\(configuration.stateDirectory)"])
            try await group.run()
        }
    }

    func resolvedConfiguration() throws -> ControllerConfiguration {
        var configuration = try config.map { try ControllerConfigFile.load(path: $0) }
            ?? ControllerConfiguration(stateDirectory: ControllerConfiguration.defaultStateDirectory())
        if let stateDir { configuration.stateDirectory = stateDir }
        if let agentListen {
            (configuration.agentHost, configuration.agentPort) = try HostPort.parse(agentListen, flag: "--agent-listen")
        }
        if let apiListen {
            (configuration.apiHost, configuration.apiPort) = try HostPort.parse(apiListen, flag: "--api-listen")
        }
        if let advertise {
            _ = try HostPort.parse(advertise, flag: "--advertise")
            configuration.advertisedAddress = advertise
        }
        return configuration
    }
}

enum LogSetup {
    static func level(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("unknown log level '\(text)': use trace, debug, info, notice, warning, error or critical")
        }
        return level
    }

    static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
