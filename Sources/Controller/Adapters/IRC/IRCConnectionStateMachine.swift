/// The client side of one IRC connection, from the first line to the last, as a pure state machine.
///
/// The driver feeds it events (connection up, a message received, a timer tick) with the time, and carries
/// out the ``IRCAction``s it returns. It registers (`PASS`, `CAP LS 302`, `NICK`, `USER`), negotiates
/// `sasl` and the account capabilities, authenticates with SASL PLAIN, takes an alternate nickname on a
/// collision, joins the configured channels, answers `PING`, rejoins after a kick, pings a silent server,
/// and turns PRIVMSGs into deliveries. Registration lives in `+Registration`, channels in `+Channels`.
struct IRCConnectionStateMachine {
    struct Configuration: Sendable, Hashable {
        var nick: String
        var username: String
        var realname: String
        /// The server password (`PASS`), for servers that require one.
        var serverPassword: String?
        var sasl: SASLCredentials?
        var channels: [String]
        var rejoinDelay: Duration = .seconds(5)
        var registrationTimeout: Duration = .seconds(60)
        /// How long a join may stay unanswered before the connection is reported ready without it.
        var joinTimeout: Duration = .seconds(15)
        /// Silence after which we ping the server, and the wait for its answer before giving up.
        var keepaliveInterval: Duration = .seconds(90)
        var maxNickAttempts: Int = 8
    }

    struct SASLCredentials: Sendable, Hashable {
        var user: String
        var password: String
    }

    enum State {
        case idle
        case registering(Registration)
        case registered(Membership)
        case closed
    }

    let configuration: Configuration
    var state: State = .idle
    /// Our nickname as the server knows it.
    var nick: String
    /// Bytes of our `nick!user@host` as the server relays it, estimated until the server shows it.
    var sourceLength: Int
    var caseMapping: IRCCaseMapping = .rfc1459
    var channelPrefixes: Set<Character> = ["#", "&"]
    /// Capabilities the server acknowledged.
    var capabilities: Set<String> = []
    var accounts = IRCAccountBook()
    var lastReceived: ContinuousClock.Instant
    var pingSentAt: ContinuousClock.Instant?

    init(configuration: Configuration, now: ContinuousClock.Instant) {
        self.configuration = configuration
        self.nick = configuration.nick
        // `~user` without ident, and a host name of up to 63 bytes.
        self.sourceLength = configuration.nick.utf8.count + 2 + configuration.username.utf8.count + 1 + 63
        self.lastReceived = now
    }

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// The TCP (and TLS) connection is up: start registering.
    mutating func connectionEstablished(at now: ContinuousClock.Instant) -> [IRCAction] {
        guard case .idle = state else { return [] }
        state = .registering(Registration(deadline: now + configuration.registrationTimeout))
        lastReceived = now
        var lines: [IRCMessage] = []
        if let password = configuration.serverPassword { lines.append(IRCMessage(command: "PASS", parameters: [password])) }
        lines.append(IRCMessage(command: "CAP", parameters: ["LS", "302"]))
        lines.append(IRCMessage(command: "NICK", parameters: [nick]))
        lines.append(IRCMessage(command: "USER", parameters: [configuration.username, "0", "*", configuration.realname]))
        return lines.map(IRCAction.send)
    }

    mutating func received(_ message: IRCMessage, at now: ContinuousClock.Instant) -> [IRCAction] {
        if isClosed { return [] }
        lastReceived = now
        pingSentAt = nil
        switch message.command {
        case "PING":
            return [.send(IRCMessage(command: "PONG", parameters: message.parameters))]
        case "ERROR":
            let text = message.parameter(0) ?? ""
            if text.lowercased().contains("password") {
                return failAuthentication("the server refused the password: \(text)")
            }
            return close("the server closed the link: \(text)")
        case "464":
            return failAuthentication("the server refused the password (464): \(message.parameters.last ?? "")")
        case "465":
            return close("the server bans this client (465): \(message.parameters.last ?? "")")
        case "005":
            readISupport(message)
            return []
        default:
            break
        }
        switch state {
        case .registering(var registration):
            return registering(message, &registration, at: now)
        case .registered(var membership):
            return registered(message, &membership, at: now)
        case .idle, .closed:
            return []
        }
    }

    /// Called about once a second: registration and join deadlines, rejoins after a kick, keepalive.
    mutating func timerFired(at now: ContinuousClock.Instant) -> [IRCAction] {
        var actions: [IRCAction] = []
        switch state {
        case .idle, .closed:
            return []
        case .registering(let registration):
            if now >= registration.deadline {
                return close("the server did not complete registration within \(configuration.registrationTimeout)")
            }
        case .registered(var membership):
            actions += membershipTimerFired(&membership, at: now)
            state = .registered(membership)
        }
        if let pingSentAt {
            if now - pingSentAt >= configuration.keepaliveInterval {
                return actions + close("no answer from the server for \(now - lastReceived)")
            }
        } else if now - lastReceived >= configuration.keepaliveInterval {
            pingSentAt = now
            actions.append(.send(IRCMessage(command: "PING", parameters: ["steward-keepalive"])))
        }
        return actions
    }

    mutating func close(_ reason: String) -> [IRCAction] {
        state = .closed
        return [.close(reason: reason)]
    }

    mutating func failAuthentication(_ reason: String) -> [IRCAction] {
        state = .closed
        return [.failAuthentication(reason)]
    }

    /// `CASEMAPPING` and `CHANTYPES` from RPL_ISUPPORT (005).
    mutating func readISupport(_ message: IRCMessage) {
        for token in message.parameters.dropFirst().dropLast() {
            let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0].uppercased() {
            case "CASEMAPPING": caseMapping = IRCCaseMapping(token: parts[1]) ?? caseMapping
            case "CHANTYPES": if !parts[1].isEmpty { channelPrefixes = Set(parts[1]) }
            default: break
            }
        }
    }
}
