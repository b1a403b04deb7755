@testable import StewardController

/// Drives one ``IRCConnectionStateMachine`` with server lines written as text and a hand-moved clock.
struct IRCStateMachineScript {
    static let welcome = ":irc.test 001 steward :Welcome to the Internet Relay Network steward!~steward@127.0.0.1"

    var machine: IRCConnectionStateMachine
    var now = ContinuousClock.now

    init(
        channels: [String] = ["#ops"], sasl: IRCConnectionStateMachine.SASLCredentials? = nil, serverPassword: String? = nil,
        maxNickAttempts: Int = 8
    ) {
        var configuration = IRCConnectionStateMachine.Configuration(
            nick: "steward", username: "steward", realname: "Steward bot", serverPassword: serverPassword, sasl: sasl,
            channels: channels)
        configuration.maxNickAttempts = maxNickAttempts
        machine = IRCConnectionStateMachine(configuration: configuration, now: now)
    }

    mutating func connect() -> [IRCAction] {
        machine.connectionEstablished(at: now)
    }

    mutating func receive(_ line: String) throws -> [IRCAction] {
        machine.received(try IRCMessage.parse(Array(line.utf8)), at: now)
    }

    mutating func tick(after elapsed: Duration) -> [IRCAction] {
        now += elapsed
        return machine.timerFired(at: now)
    }

    /// Connects and registers without capabilities, joined to every channel.
    mutating func registered() throws {
        _ = connect()
        _ = try receive(":irc.test CAP * LS :multi-prefix")
        _ = try receive(Self.welcome)
        for channel in machine.configuration.channels { _ = try receive(":steward!~steward@127.0.0.1 JOIN \(channel)") }
    }
}

/// The lines a list of actions sends, as text without CRLF; other actions as a short description.
func described(_ actions: [IRCAction]) -> [String] {
    actions.map { action in
        switch action {
        case .send(let message):
            (try? String(decoding: message.serialized().dropLast(2), as: UTF8.self)) ?? "unserializable \(message)"
        case .deliver(let message): "deliver \(message.sender) \(message.room) \(message.text)"
        case .ready(let nick): "ready \(nick)"
        case .reportProblem(let text): "problem \(text)"
        case .failAuthentication(let reason): "auth failed \(reason)"
        case .close(let reason): "close \(reason)"
        }
    }
}
