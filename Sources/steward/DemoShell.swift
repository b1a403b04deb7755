import ArgumentParser
import Foundation
import StewardController

/// The demo's prompt: a small command language over the same HTTP API the CLI uses.
struct DemoShell {
    let client: StewardClient

    static let help = """
        commands:
          agents                       list agents and whether they are online
          ping|facts|metrics SEL       run on SEL (a name, web-*, role=web, or all)
          run NAME on SEL              run an allowlisted command, e.g. run uptime on all
          history HOST [N]             a host's job history, newest first
          job ID                       a job's output and per-host results
          help                         this text
          quit                         stop the demo
        """

    /// Handles one line; false when the user asked to quit.
    func handle(_ line: String) async -> Bool {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let verb = words.first else { return true }
        do {
            switch verb {
            case "quit", "exit":
                return false
            case "help", "?":
                print(Self.help)
            case "agents":
                let agents: [API.Agent] = try await client.get("/api/v1/agents")
                print(AgentsTable.render(agents, now: Date()))
            case "ping", "facts", "metrics":
                guard words.count == 2 else { throw ClientError("usage: \(verb) SEL") }
                try await runJob(action: [verb], target: words[1])
            case "run":
                guard words.count >= 4, let on = words.lastIndex(of: "on"), on >= 2, on == words.count - 2 else {
                    throw ClientError("usage: run NAME [ARGS...] on SEL")
                }
                try await runJob(action: ["exec"] + words[1..<on], target: words[on + 1])
            case "history":
                guard (2...3).contains(words.count) else { throw ClientError("usage: history HOST [N]") }
                let limit = words.count == 3 ? Int(words[2]) ?? 10 : 10
                let entries: [API.HistoryEntry] = try await client.get("/api/v1/agents/\(PathText.escape(words[1]))/history?limit=\(limit)")
                print(entries.isEmpty ? "no jobs on \(words[1]) yet" : HistoryTable.render(entries))
            case "job":
                guard words.count == 2 else { throw ClientError("usage: job ID") }
                let job: API.Job = try await client.get("/api/v1/jobs/\(PathText.escape(words[1]))")
                try await JobCommand.printOutput(of: job, client: client)
                print(JobReport.render(job))
            default:
                throw ClientError("unknown command '\(verb)': type help")
            }
        } catch is ExitCode {
            // A job that did not fully succeed: its report was already printed.
        } catch {
            print("error: \(error)")
        }
        return true
    }

    private func runJob(action: [String], target: String) async throws {
        let job: API.Job = try await client.post(
            "/api/v1/jobs", body: API.SubmitJob(target: target, action: action, onBehalfOf: "demo", source: "demo"))
        try await JobCommand.follow(job: job, client: client, json: false)
    }
}

/// Lines from standard input, read on their own thread so no concurrency thread ever blocks.
enum StandardInputLines {
    static func stream() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let thread = Thread {
            while let line = readLine(strippingNewline: true) { continuation.yield(line) }
            continuation.finish()
        }
        thread.start()
        return stream
    }
}
