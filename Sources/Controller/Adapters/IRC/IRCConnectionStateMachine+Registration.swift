import Foundation

extension IRCConnectionStateMachine {
    /// Capabilities worth having: with them the server vouches for who is logged in to which account.
    static let accountCapabilities = ["account-notify", "account-tag", "extended-join"]
    /// SASL payloads are sent in chunks of this many base64 bytes.
    static let authenticateChunk = 400

    /// Where registration stands: capability negotiation, SASL, nickname attempts.
    struct Registration {
        enum SASLStage: Equatable { case notStarted, awaitingContinuation, awaitingResult, succeeded }

        var deadline: ContinuousClock.Instant
        /// Capabilities from `CAP LS` (name → value), gathered over continuation lines.
        var offered: [String: String] = [:]
        var sasl: SASLStage = .notStarted
        var nickAttempt = 0
    }

    mutating func registering(_ message: IRCMessage, _ registration: inout Registration, at now: ContinuousClock.Instant) -> [IRCAction] {
        let actions: [IRCAction]
        switch message.command {
        case "CAP":
            actions = capability(message, &registration)
        case "AUTHENTICATE":
            actions = authenticate(message, &registration)
        case "903", "907":
            registration.sasl = .succeeded
            actions = [.send(IRCMessage(command: "CAP", parameters: ["END"]))]
        case "902", "904", "905", "906":
            return failAuthentication("SASL PLAIN failed (\(message.command)): \(message.parameters.last ?? "")")
        case "421" where message.parameter(1)?.uppercased() == "CAP":
            // A server without capability negotiation registers us without waiting for CAP END.
            guard configuration.sasl == nil else { return failAuthentication("the server does not support SASL (no CAP command)") }
            actions = []
        case "433", "436", "437":
            actions = nicknameTaken(message, &registration)
        case "432":
            return close("the server refuses the nickname '\(nick)' (432): \(message.parameters.last ?? ""); set another 'nick'")
        case "001":
            return welcomed(message, registration, at: now)
        default:
            actions = []
        }
        if case .registering = state { state = .registering(registration) }
        return actions
    }

    private mutating func capability(_ message: IRCMessage, _ registration: inout Registration) -> [IRCAction] {
        guard let subcommand = message.parameter(1)?.uppercased(), let list = message.parameters.last, message.parameters.count >= 3 else { return [] }
        let names = list.split(separator: " ").map(String.init)
        switch subcommand {
        case "LS":
            for item in names {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                registration.offered[parts[0]] = parts.count == 2 ? parts[1] : ""
            }
            if message.parameters.count >= 4, message.parameter(2) == "*" { return [] }  // more LS lines follow
            return requestCapabilities(registration)
        case "ACK":
            for name in names {
                if name.hasPrefix("-") { capabilities.remove(String(name.dropFirst())) } else { capabilities.insert(name) }
            }
            if configuration.sasl != nil, capabilities.contains("sasl"), registration.sasl == .notStarted {
                registration.sasl = .awaitingContinuation
                return [.send(IRCMessage(command: "AUTHENTICATE", parameters: ["PLAIN"]))]
            }
            return [.send(IRCMessage(command: "CAP", parameters: ["END"]))]
        case "NAK":
            if configuration.sasl != nil { return failAuthentication("the server refused the sasl capability") }
            return [.send(IRCMessage(command: "CAP", parameters: ["END"]))]
        default:
            return []
        }
    }

    private mutating func requestCapabilities(_ registration: Registration) -> [IRCAction] {
        var wanted = Self.accountCapabilities.filter { registration.offered[$0] != nil }
        if configuration.sasl != nil {
            guard let mechanisms = registration.offered["sasl"] else {
                return failAuthentication("the server does not offer SASL (no 'sasl' in CAP LS)")
            }
            if !mechanisms.isEmpty, !mechanisms.split(separator: ",").contains("PLAIN") {
                return failAuthentication("the server offers SASL \(mechanisms) but not PLAIN")
            }
            wanted.insert("sasl", at: 0)
        }
        if wanted.isEmpty { return [.send(IRCMessage(command: "CAP", parameters: ["END"]))] }
        return [.send(IRCMessage(command: "CAP", parameters: ["REQ", wanted.joined(separator: " ")]))]
    }

    private mutating func authenticate(_ message: IRCMessage, _ registration: inout Registration) -> [IRCAction] {
        guard registration.sasl == .awaitingContinuation, message.parameter(0) == "+", let credentials = configuration.sasl else { return [] }
        registration.sasl = .awaitingResult
        return Self.plainPayload(credentials).map { .send(IRCMessage(command: "AUTHENTICATE", parameters: [$0])) }
    }

    /// `AUTHENTICATE` parameters for SASL PLAIN (RFC 4616, empty authorization identity): base64 of
    /// `\0user\0password` in 400-byte chunks, with a final `+` when the last chunk is exactly 400 bytes.
    static func plainPayload(_ credentials: SASLCredentials) -> [String] {
        let encoded = Data(("\0" + credentials.user + "\0" + credentials.password).utf8).base64EncodedString()
        var chunks: [String] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            chunks.append(String(rest.prefix(authenticateChunk)))
            rest = rest.dropFirst(authenticateChunk)
        }
        if chunks.last?.count ?? authenticateChunk == authenticateChunk { chunks.append("+") }
        return chunks
    }

    /// ERR_NICKNAMEINUSE and friends before registration: try `nick_`, `nick__`, ...
    private mutating func nicknameTaken(_ message: IRCMessage, _ registration: inout Registration) -> [IRCAction] {
        registration.nickAttempt += 1
        guard registration.nickAttempt <= configuration.maxNickAttempts else {
            return close("the nicknames \(configuration.nick) to \(Self.alternate(configuration.nick, configuration.maxNickAttempts)) are all in use")
        }
        let taken = nick
        nick = Self.alternate(configuration.nick, registration.nickAttempt)
        sourceLength += nick.utf8.count - taken.utf8.count
        return [
            .send(IRCMessage(command: "NICK", parameters: [nick])),
            .reportProblem("the nickname \(taken) is in use (\(message.command)); trying \(nick)"),
        ]
    }

    static func alternate(_ nick: String, _ attempt: Int) -> String {
        nick + String(repeating: "_", count: attempt)
    }

    /// RPL_WELCOME: registered. Learn our nick and mask, then join the channels.
    private mutating func welcomed(_ message: IRCMessage, _ registration: Registration, at now: ContinuousClock.Instant) -> [IRCAction] {
        if configuration.sasl != nil, registration.sasl != .succeeded {
            // Never run unauthenticated when SASL is configured: the identity we were meant to have is not ours.
            return failAuthentication("the server completed registration without SASL authentication")
        }
        if let welcomeNick = message.parameter(0), !welcomeNick.isEmpty, welcomeNick != "*" { nick = welcomeNick }
        if let mask = message.parameters.last?.split(separator: " ").last.map(String.init),
           case let source = IRCSource(parsing: mask), source.isFullMask, caseMapping.equal(source.nick, nick)
        {
            sourceLength = mask.utf8.count
        }
        var membership = Membership(joinDeadline: now + configuration.joinTimeout)
        let actions = join(configuration.channels, &membership)
        state = .registered(membership)
        return actions + readyIfSettled()
    }
}
