import Foundation

/// A person on IRC, for the end-to-end tests: a plain-TCP client that registers, joins, talks, answers
/// PING by itself and keeps every line it received, byte for byte.
final class IRCTestClient: @unchecked Sendable {
    /// One line as received: the bytes (CRLF included) and a rough parse.
    struct Line: CustomStringConvertible {
        var raw: [UInt8]
        var text: String
        var nick: String
        var command: String
        var parameters: [String]

        init(raw: [UInt8]) {
            self.raw = raw
            var rest = Substring(String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .newlines))
            text = String(rest)
            nick = ""
            if rest.hasPrefix(":") {
                let source = rest.prefix { $0 != " " }.dropFirst()
                nick = String(source.prefix { $0 != "!" })
                rest = rest.drop { $0 != " " }.drop { $0 == " " }
            }
            command = String(rest.prefix { $0 != " " })
            rest = rest.drop { $0 != " " }.drop { $0 == " " }
            var parameters: [String] = []
            while !rest.isEmpty {
                if rest.hasPrefix(":") {
                    parameters.append(String(rest.dropFirst()))
                    break
                }
                parameters.append(String(rest.prefix { $0 != " " }))
                rest = rest.drop { $0 != " " }.drop { $0 == " " }
            }
            self.parameters = parameters
        }

        var description: String { text }
    }

    let nick: String
    private let socket: TestSocket
    private var buffer: [UInt8] = []
    /// Every line received so far.
    private(set) var received: [Line] = []

    private init(nick: String, socket: TestSocket) {
        self.nick = nick
        self.socket = socket
    }

    /// Connects to the plain port and registers as `nick`.
    static func connect(port: Int, nick: String) async throws -> IRCTestClient {
        let client = IRCTestClient(nick: nick, socket: try TestSocket(port: port))
        try await client.send("NICK \(nick)")
        try await client.send("USER \(nick) 0 * :\(nick) (test)")
        try await client.waitFor("the welcome for \(nick)") { $0.command == "001" }
        return client
    }

    func send(_ line: String) async throws {
        try await socket.write(Array((line + "\r\n").utf8))
    }

    func join(_ channel: String) async throws {
        try await send("JOIN \(channel)")
        try await waitFor("joining \(channel)") { $0.command == "366" }
    }

    func say(_ target: String, _ text: String) async throws {
        try await send("PRIVMSG \(target) :\(text)")
    }

    /// Reads until a line satisfies `predicate` (lines already seen do not count again).
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(30), _ predicate: (Line) -> Bool) async throws -> Line {
        let deadline = ContinuousClock.now + timeout
        while true {
            while let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Line(raw: Array(buffer[...end]))
                buffer.removeSubrange(...end)
                received.append(line)
                if line.command == "PING" { try await send("PONG :\(line.parameters.first ?? "")") }
                if predicate(line) { return line }
            }
            guard ContinuousClock.now < deadline else {
                throw HarnessError("\(nick) timed out after \(timeout) waiting for \(what); last lines:\n"
                    + received.suffix(15).map(\.text).joined(separator: "\n"))
            }
            guard let chunk = try socket.readAvailable() else { throw HarnessError("\(nick)'s connection closed while waiting for \(what)") }
            if chunk.isEmpty { try await Task.sleep(for: .milliseconds(10)) } else { buffer += chunk }
        }
    }

    /// Returns once `member` is in `channel`: listed in the NAMES reply we got when joining, or joining later.
    func waitForMember(_ member: String, in channel: String, timeout: Duration = .seconds(30)) async throws {
        let listed = received.contains { line in
            line.command == "353" && line.parameters.dropLast().last == channel
                && (line.parameters.last ?? "").split(separator: " ").contains { $0.drop { "~&@%+".contains($0) } == member }
        }
        if listed { return }
        try await waitFor("\(member) joining \(channel)", timeout: timeout) { $0.command == "JOIN" && $0.nick == member }
    }

    /// What `from` said in `target` since line `index` (messages only).
    func messages(from sender: String, to target: String, since index: Int = 0) -> [Line] {
        received.dropFirst(index).filter { $0.command == "PRIVMSG" && $0.nick == sender && $0.parameters.first == target }
    }

    /// The texts of those messages that contain `fragment`.
    func texts(from sender: String, to target: String, since index: Int, containing fragment: String) -> [String] {
        var texts: [String] = []
        for line in messages(from: sender, to: target, since: index) {
            if let text = line.parameters.last, text.contains(fragment) { texts.append(text) }
        }
        return texts
    }

    func quit() async {
        try? await send("QUIT :bye")
        socket.close()
    }
}
