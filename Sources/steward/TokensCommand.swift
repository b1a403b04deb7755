import ArgumentParser
import StewardController

struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Manage join tokens for enrolling agents.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a join token and print the enroll command to run on the new host.")

        @OptionGroup var options: ClientOptions

        @Option(help: "Labels for agents enrolled with this token, e.g. role=web,env=prod.")
        var labels: String?

        @Option(help: "How long the token stays valid: 30m, 1h, 7d.")
        var ttl: String = "1h"

        @Option(help: "How many agents may enroll with it.")
        var uses: Int = 1

        func run() async throws {
            try await reportingFailures {
                let ttlSeconds = try DurationText.seconds(ttl)
                let labelMap = try LabelText.parse(labels ?? "")
                let created: API.CreatedToken = try await options.client().post(
                    "/api/v1/tokens", body: API.CreateToken(labels: labelMap, ttlSeconds: ttlSeconds, uses: uses))
                if options.json {
                    try options.printJSON(created)
                } else {
                    print(created.command)
                }
            }
        }
    }
}

/// Parses `30s`, `5m`, `1h`, `7d` into seconds.
enum DurationText {
    static func seconds(_ text: String) throws -> Int {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last, let factor = units[unit], let value = Int(text.dropLast()), value > 0, value < 10_000_000 else {
            if let plain = Int(text), plain > 0 { return plain }
            throw ValidationError("'\(text)' is not a duration: use e.g. 30s, 5m, 1h, 7d")
        }
        return value * factor
    }
}

/// Parses `key=value,key=value`.
enum LabelText {
    static func parse(_ text: String) throws -> [String: String] {
        var labels: [String: String] = [:]
        for part in text.split(separator: ",") where !part.isEmpty {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
                throw ValidationError("bad label '\(part)': use key=value")
            }
            labels[pair[0]] = pair[1]
        }
        return labels
    }
}
