import ArgumentParser
import Foundation
import StewardController

struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job", abstract: "Show a job's full output and per-host results; --follow streams a running job.")

    @OptionGroup var options: ClientOptions

    @Flag(name: .shortAndLong, help: "Stream output until the job finishes.")
    var follow = false

    @Argument(help: "Job id (or a unique prefix of at least 6 characters).")
    var jobID: String

    func run() async throws {
        try await reportingFailures {
            let client = try options.client()
            let job: API.Job = try await client.get("/api/v1/jobs/\(PathText.escape(jobID))")
            if follow {
                return try await Self.follow(job: job, client: client, json: options.json)
            }
            if options.json { return try options.printJSON(job) }
            try await Self.printOutput(of: job, client: client)
            print(JobReport.render(job))
            guard JobReport.allSucceeded(job) || job.status == "running" else { throw ExitCode.failure }
        }
    }

    /// Prints every stored output chunk, prefixed with its host.
    static func printOutput(of job: API.Job, client: StewardClient) async throws {
        let names = Dictionary(job.runs.map { ($0.agentID, $0.agentName) }, uniquingKeysWith: { a, _ in a })
        var cursor: Int64 = 0
        var text: [String: String] = [:]
        while true {
            let page: API.OutputPage = try await client.get("/api/v1/jobs/\(job.id)/output?after=\(cursor)")
            for chunk in page.chunks { text["\(chunk.agentID)/\(chunk.stream)", default: ""] += String(decoding: chunk.data, as: UTF8.self) }
            if page.chunks.isEmpty { break }
            cursor = page.next
        }
        for (key, body) in text.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "/").map(String.init)
            let host = names[parts[0]] ?? parts[0]
            for line in body.split(separator: "\n", omittingEmptySubsequences: false).dropLast(body.hasSuffix("\n") ? 1 : 0) {
                print(parts[1] == "stderr" ? "\(host) ! \(line)" : "\(host) | \(line)")
            }
        }
    }

    /// Shows progress while hosts answer, then the report; fails unless every host succeeded.
    static func follow(job: API.Job, client: StewardClient, json: Bool) async throws {
        if !json {
            let hosts = job.runs.count == 1 ? "1 host" : "\(job.runs.count) hosts"
            print("job \(job.id): \(job.command) on \(hosts), asked by \(job.requestedBy)")
        }
        let finished = try await JobFollower(client: client).follow(jobID: job.id, streamOutput: !json) { event in
            guard !json else { return }
            switch event {
            case .output(let host, let stream, let text):
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    print(stream == "stderr" ? "\(host) ! \(line)" : "\(host) | \(line)")
                }
            case .runFinished(let run, let done, let total):
                let exit = run.exitCode.map { " exit \($0)" } ?? ""
                let duration = run.durationMs.map { " in \($0) ms" } ?? ""
                let detail = run.error.map { ": \($0)" } ?? ""
                print("[\(done)/\(total)] \(run.agentName) \(run.status)\(exit)\(duration)\(detail)")
            }
        }
        if json {
            try ClientOptions.printJSONStatic(finished)
        } else {
            print(JobReport.render(finished))
        }
        guard JobReport.allSucceeded(finished) else {
            let failed = finished.runs.filter { $0.status != "succeeded" }.count
            FileHandle.standardError.write(Data("error: \(failed) of \(finished.runs.count) host(s) did not succeed (job \(finished.id))\n".utf8))
            throw ExitCode.failure
        }
    }
}

extension ClientOptions {
    static func printJSONStatic<T: Encodable>(_ value: T) throws {
        let encoder = API.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
