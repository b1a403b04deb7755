import ArgumentParser
import Foundation
import StewardController

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the controller's health and each chat connection's (exit 1 when degraded).")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await reportingFailures {
            let health: API.Health = try await options.client().get("/healthz")
            if options.json {
                try options.printJSON(health)
            } else {
                print(StatusReport.render(health, now: Date()))
            }
            if health.status != "ok" { throw ExitCode(1) }
        }
    }
}
