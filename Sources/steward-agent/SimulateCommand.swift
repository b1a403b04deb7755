import ArgumentParser
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import StewardAgent

extension StewardAgentCommand {
    /// `steward-agent simulate`: a fleet of simulated agents in one process, for benchmarks.
    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run N simulated agents (own key, certificate and TLS connection each; canned facts, fixed exec reply).")

        @OptionGroup var options: Options

        @Option(help: "How many agent identities to simulate.")
        var count: Int

        @Option(help: "Multi-use join token; needed only for identities not enrolled yet.")
        var token: String?

        @Option(help: "What every exec job prints on stdout (a newline is added when missing).")
        var execReply = "simulated"

        @Option(help: "How many times every exec prints the reply, one output chunk each.")
        var execChunks = 1

        @Option(help: "Milliseconds between two chunks of an exec's output.")
        var execIntervalMs = 0

        @Option(help: "Agent names are PREFIX00000, PREFIX00001, ...")
        var namePrefix = "sim-"

        @Option(help: "Enrollments in flight at once.")
        var enrollConcurrency = 32

        func validate() throws {
            guard count > 0 else { throw ValidationError("--count must be positive") }
            guard enrollConcurrency > 0 else { throw ValidationError("--enroll-concurrency must be positive") }
            guard execChunks > 0 else { throw ValidationError("--exec-chunks must be positive") }
            guard execIntervalMs >= 0 else { throw ValidationError("--exec-interval-ms cannot be negative") }
        }

        func run() async throws {
            try await failingWithOneLine {
                let logger = try options.logger()
                let fleet = try SimulatedFleet(
                    configuration: .init(
                        count: count, stateDirectory: options.stateDirectory, namePrefix: namePrefix,
                        execReply: execReply.hasSuffix("\n") ? execReply : execReply + "\n",
                        execChunks: execChunks, execInterval: .milliseconds(execIntervalMs), enrollConcurrency: enrollConcurrency),
                    eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger)
                let step = max(1, count / 20)
                let enrolled = try await fleet.enrollMissing(token: token) { done, total in
                    if done % step == 0 || done == total { Self.say("enrolled \(done)/\(total)") }
                }
                let services = try await fleet.makeServices()
                Self.say("simulating \(services.count) agents (\(enrolled) newly enrolled) from \(options.stateDirectory)")
                let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
                try await group.run()
            }
        }

        static func say(_ line: String) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
