import ArgumentParser
import Foundation
import StewardController

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail: every request, decision, approval, job and admin action.",
        subcommands: [Show.self, Verify.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Newest events first.")

        @OptionGroup var options: ClientOptions

        @Option(help: "Only events at or after this ISO 8601 time, e.g. 2026-11-26T10:00:00Z.")
        var since: String?

        @Option(help: "Only this actor, e.g. terminal:alice.")
        var user: String?

        @Option(help: "Only events about this host.")
        var host: String?

        @Option(help: "How many events.")
        var limit: Int = 50

        func run() async throws {
            try await reportingFailures {
                var query = ["limit=\(limit)"]
                if let since {
                    guard (try? Date(since, strategy: .iso8601)) != nil else { throw ValidationError("--since must be an ISO 8601 time") }
                    query.append("since=\(PathText.escape(since))")
                }
                if let user { query.append("user=\(PathText.escape(user))") }
                if let host { query.append("host=\(PathText.escape(host))") }
                let entries: [API.AuditEntry] = try await options.client().get("/api/v1/audit?" + query.joined(separator: "&"))
                if options.json { return try options.printJSON(entries) }
                var table = TextTable(columns: [.init("SEQ", alignment: .right), .init("TIME"), .init("KIND"), .init("ACTOR"), .init("HOST"), .init("SUMMARY", maxWidth: 80)])
                for entry in entries {
                    table.append(["\(entry.seq)", ISO8601DateFormatter().string(from: entry.at), entry.kind, entry.actor, entry.host ?? "-", entry.summary])
                }
                print(table.render())
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the hash chain: detects an edited or deleted row.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await reportingFailures {
                let check: API.AuditCheck = try await options.client().get("/api/v1/audit/verify")
                if options.json { try options.printJSON(check) } else { print(check.detail) }
                guard check.intact else { throw ExitCode.failure }
            }
        }
    }
}

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "API users for `steward chat` and the web console.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user and print their API token once; their chat identity is terminal:NAME / web:NAME.")

        @OptionGroup var options: ClientOptions

        @Argument(help: "User name.")
        var name: String

        func run() async throws {
            try await reportingFailures {
                let created: API.CreatedUser = try await options.client().post("/api/v1/users", body: API.CreateUser(name: name))
                if options.json { return try options.printJSON(created) }
                print(created.token)
            }
        }
    }
}
