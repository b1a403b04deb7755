import ArgumentParser
import Foundation
import Logging
import StewardAgent

/// `steward-agent`: the daemon on every host. Dials out to the controller, verifies and runs jobs.
@main
struct StewardAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steward-agent",
        abstract: "The Steward agent: enrolls with a controller, then runs the signed jobs its local policy allows.",
        version: "0.1.0",
        subcommands: [Enroll.self, Run.self, Status.self, Simulate.self])

    struct Options: ParsableArguments {
        @Option(name: .long, help: "Agent state directory (default: $STEWARD_AGENT_STATE_DIR or /var/lib/steward-agent).")
        var stateDir: String?

        @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error (default: info for run, warning otherwise).")
        var logLevel: String?

        var stateDirectory: String {
            stateDir ?? ProcessInfo.processInfo.environment["STEWARD_AGENT_STATE_DIR"].flatMap { $0.isEmpty ? nil : $0 }
                ?? AgentStateDirectory.defaultPath
        }

        func logger(default defaultLevel: Logger.Level = .warning) throws -> Logger {
            let level: Logger.Level
            if let logLevel {
                guard let parsed = Logger.Level(rawValue: logLevel.lowercased()) else {
                    throw ValidationError("unknown log level '\(logLevel)'")
                }
                level = parsed
            } else {
                level = defaultLevel
            }
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var logger = Logger(label: "steward-agent")
            logger.logLevel = level
            return logger
        }
    }

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enroll with the controller named in a join token (from `steward tokens create`).")

        @OptionGroup var options: Options

        @Option(help: "Join token, stw1_...")
        var token: String

        @Option(help: "Agent name (default: this host's short name).")
        var name: String?

        @Flag(help: "Replace an existing enrollment.")
        var force = false

        func run() async throws {
            try await failingWithOneLine {
                let logger = try options.logger()
                let record = try await AgentRuntime.enroll(
                    token: token, name: name ?? Self.shortHostName(), stateDirectory: options.stateDirectory, force: force,
                    logger: logger)
                print("enrolled as \(record.name) (\(record.agentID)) with \(record.controller)")
            }
        }

        static func shortHostName() -> String {
            var buffer = [CChar](repeating: 0, count: 256)
            gethostname(&buffer, buffer.count)
            let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return String(name.prefix { $0 != "." })
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Connect to the controller and run jobs until stopped (SIGTERM).")

        @OptionGroup var options: Options

        @Option(help: "Local policy file: what this host allows (absent file = ping, facts, metrics only).")
        var policy: String = "/etc/steward/agent.yaml"

        func run() async throws {
            try await failingWithOneLine {
                try await AgentRuntime.run(stateDirectory: options.stateDirectory, policyPath: policy, logger: try options.logger(default: .info))
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show enrollment, controller, certificate expiry and spooled results.")

        @OptionGroup var options: Options

        func run() async throws {
            let status = AgentRuntime.status(stateDirectory: options.stateDirectory)
            print(status)
            if !status.enrolled { throw ExitCode.failure }
        }
    }
}

/// Runs a command body, turning any failure into one line on stderr and exit status 1.
func failingWithOneLine(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
