import ArgumentParser
import Foundation
import StewardController

struct ChatConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk to the bot from a terminal: the same command language and policy as every chat room.",
        discussion: "You speak as the owner of the API token (the admin token by default; --token-file or $STEWARD_TOKEN for another user).")

    @OptionGroup var options: ClientOptions

    @Option(help: "Room to join.")
    var room: String = "ops"

    @Option(help: "File holding the API token to speak as (from `steward users add`).")
    var tokenFile: String?

    @Option(name: .customLong("command"), help: "Send this line, print the answers, and exit when all are done (repeatable).")
    var commands: [String] = []

    func run() async throws {
        try await reportingFailures {
            var client = try options.client()
            if let token = try Self.token(file: tokenFile) { client = StewardClient(baseURL: client.baseURL, token: token) }
            let session = TerminalRoom(client: client, room: room)
            var seen = try await session.catchUp()
            if !commands.isEmpty {
                for line in commands {
                    print("> \(line)")
                    try await session.say(line)
                    seen = try await session.printUntilQuiet(after: seen)
                }
                return
            }
            print("joined #\(room); type help, or quit to leave")
            for await line in StandardInputLines.stream() {
                if line == "quit" || line == "exit" { break }
                guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                try await session.say(line)
                seen = try await session.printUntilQuiet(after: seen)
            }
        }
    }

    static func token(file: String?) throws -> String? {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ClientError("cannot read \(file)") }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ProcessInfo.processInfo.environment["STEWARD_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// One console room as seen from the terminal: post lines, print the bot's replies and their edits.
struct TerminalRoom {
    let client: StewardClient
    let room: String

    func say(_ text: String) async throws {
        let _: API.ChatAccepted = try await client.post(
            "/api/v1/chat/messages", body: API.ChatPost(platform: "terminal", room: room, text: text, eventID: UUID().uuidString))
    }

    /// The newest revision, without printing history.
    func catchUp() async throws -> Int64 {
        let page: API.ChatPage = try await client.get("/api/v1/chat/rooms/\(room)/messages?after=0")
        return page.revision
    }

    /// Prints the bot's messages (re-printing edited ones in full) until the room stays quiet and no job is running.
    func printUntilQuiet(after revision: Int64, quietFor: Duration = .milliseconds(1200), timeout: Duration = .seconds(300)) async throws -> Int64 {
        var cursor = revision
        var lastChange = ContinuousClock.now
        var texts: [String: String] = [:]
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let page: API.ChatPage = try await client.get("/api/v1/chat/rooms/\(room)/messages?after=\(cursor)")
            for line in page.messages where line.author == "steward" && texts[line.id] != line.text {
                print((texts[line.id] == nil ? "" : "(updated) ") + line.text)
                texts[line.id] = line.text
                lastChange = .now
            }
            cursor = max(cursor, page.revision)
            let running = texts.values.contains { $0.contains("hosts done") }
            if !texts.isEmpty, !running, ContinuousClock.now - lastChange >= quietFor { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        return cursor
    }
}
