import ArgumentParser
import StewardController

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "A host's job history, newest first: job id, when, who, action, status, exit, duration.")

    @OptionGroup var options: ClientOptions

    @Option(name: .shortAndLong, help: "How many entries.")
    var limit: Int = 20

    @Option(help: "Only entries older than this job id (paging).")
    var before: String?

    @Argument(help: "Agent name.")
    var host: String

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() async throws {
        try await reportingFailures {
            var path = "/api/v1/agents/\(PathText.escape(host))/history?limit=\(limit)"
            if let before { path += "&before=\(PathText.escape(before))" }
            let entries: [API.HistoryEntry] = try await options.client().get(path)
            if options.json { return try options.printJSON(entries) }
            guard !entries.isEmpty else {
                print("no jobs have run on \(host) yet")
                return
            }
            print(HistoryTable.render(entries))
        }
    }
}
