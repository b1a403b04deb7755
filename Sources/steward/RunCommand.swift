import ArgumentParser
import Foundation
import StewardController

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an action on the agents a selector picks, showing progress and a summary.",
        discussion: """
            Actions: ping | facts | metrics | service status|start|stop|restart UNIT | reboot | exec NAME [ARGS...]
            Targets: an agent name, a glob (web-*), labels (role=web,env=prod), a list (a,b) or all.
            Exits non-zero unless every host succeeded.
            """)

    @OptionGroup var options: ClientOptions

    @Option(name: .shortAndLong, help: "Which agents: name, glob, labels or all.")
    var target: String

    @Option(help: "At most this many hosts at once (number or %).")
    var batch: String?

    @Option(help: "Stop starting new hosts after this many failures (number or %).")
    var maxErrors: String?

    @Option(help: "Run time limit per host, e.g. 30s or 5m.")
    var timeout: String?

    @Option(help: "How long to wait for offline agents before a run is undelivered, e.g. 10m.")
    var deliveryTimeout: String?

    @Flag(help: "Submit and print the job id without waiting.")
    var detach = false

    @Argument(parsing: .captureForPassthrough, help: "The action and its arguments.")
    var action: [String]

    func run() async throws {
        try await reportingFailures {
            let client = try options.client()
            let submit = API.SubmitJob(
                target: target, action: action, batch: batch, maxErrors: maxErrors,
                timeoutSeconds: try timeout.map(DurationText.seconds), deliverySeconds: try deliveryTimeout.map(DurationText.seconds),
                onBehalfOf: ProcessInfo.processInfo.environment["USER"], source: "cli")
            let job: API.Job = try await client.post("/api/v1/jobs", body: submit)
            if detach {
                if options.json { return try options.printJSON(job) }
                print(job.id)
                return
            }
            try await JobCommand.follow(job: job, client: client, json: options.json)
        }
    }
}
