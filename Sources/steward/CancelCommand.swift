import ArgumentParser
import StewardController

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a job: queued hosts are skipped, running ones are stopped (process group killed).")

    @OptionGroup var options: ClientOptions

    @Argument(help: "Job id (or a unique prefix of at least 6 characters).")
    var jobID: String

    func run() async throws {
        try await reportingFailures {
            let job: API.Job = try await options.client().post("/api/v1/jobs/\(PathText.escape(jobID))/cancel")
            if options.json { return try options.printJSON(job) }
            let open = job.runs.filter { !$0.final }.count
            print("cancel requested for job \(job.id): \(open) run(s) still stopping")
        }
    }
}
