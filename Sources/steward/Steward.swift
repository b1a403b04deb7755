import ArgumentParser
import StewardController

/// `steward`: the ChatOps controller and its admin CLI.
@main
struct Steward: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steward",
        abstract: "Run commands across your fleet from chat; this is the controller and its admin CLI.",
        version: "0.1.0",
        subcommands: [
            ServeCommand.self, DemoCommand.self, TokensCommand.self, AgentsCommand.self, RunCommand.self,
            HistoryCommand.self, JobCommand.self, CancelCommand.self, ChatConsoleCommand.self, AuditCommand.self, UsersCommand.self,
            StatusCommand.self,
        ]
    )
}
