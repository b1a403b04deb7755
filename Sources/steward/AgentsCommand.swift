import ArgumentParser
import Foundation
import StewardController

struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents", abstract: "List enrolled agents, or revoke one.",
        subcommands: [List.self, Revoke.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per agent: name, online/offline, labels, version, last seen.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await reportingFailures {
                let agents: [API.Agent] = try await options.client().get("/api/v1/agents")
                if options.json { return try options.printJSON(agents) }
                guard !agents.isEmpty else {
                    print("no agents enrolled yet: run `steward tokens create` and enroll one")
                    return
                }
                print(AgentsTable.render(agents, now: Date()))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an agent: its connection drops at once and reconnects are refused.")

        @OptionGroup var options: ClientOptions

        @Argument(help: "Agent name.")
        var name: String

        func run() async throws {
            try await reportingFailures {
                let agent: API.Agent = try await options.client().post("/api/v1/agents/\(PathText.escape(name))/revoke")
                if options.json { return try options.printJSON(agent) }
                print("revoked \(agent.name) (\(agent.id))")
            }
        }
    }
}

/// Percent-encodes a path segment.
enum PathText {
    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? segment
    }
}
