extension IRCConnectionStateMachine {
    /// Numerics that refuse a JOIN (no such channel, full, invite only, banned, bad key, needs an account, ...).
    static let joinRefusals: Set<String> = ["403", "405", "471", "473", "474", "475", "476", "477", "489", "520"]

    /// Registered: which channels we are in, which joins are unanswered, which rejoins are due.
    struct Membership {
        var joined: [String] = []
        var pending: [String] = []
        /// Channels we were kicked from (or forced out of), with when to join again.
        var rejoins: [(channel: String, at: ContinuousClock.Instant)] = []
        var readyReported = false
        var joinDeadline: ContinuousClock.Instant
    }

    mutating func registered(_ message: IRCMessage, _ membership: inout Membership, at now: ContinuousClock.Instant) -> [IRCAction] {
        let source = message.source
        let fromUs = source.map { caseMapping.equal($0.nick, nick) } ?? false
        var actions: [IRCAction] = []
        switch message.command {
        case "PRIVMSG":
            actions = privateOrChannelMessage(message)
        case "JOIN":
            guard let channel = message.parameter(0), let source else { break }
            if fromUs {
                sourceLength = source.description.utf8.count
                remove(channel, from: &membership.pending)
                remove(channel, from: &membership.joined)
                membership.joined.append(channel)
            } else if capabilities.contains("extended-join") {
                accounts.set(source.nick, account: message.parameter(1), caseMapping)
            }
        case _ where Self.joinRefusals.contains(message.command):
            guard let channel = message.parameter(1), contains(channel, membership.pending) else { break }
            remove(channel, from: &membership.pending)
            actions = [.reportProblem("cannot join \(channel) (\(message.command)): \(message.parameters.last ?? "")")]
        case "KICK", "PART":
            let channel = message.parameter(0) ?? ""
            let whoLeft = message.command == "KICK" ? message.parameter(1) ?? "" : source?.nick ?? ""
            guard caseMapping.equal(whoLeft, nick) else {
                accounts.forget(whoLeft, caseMapping)
                break
            }
            // We only ever leave by force: go back after a pause, and forget accounts we can no longer follow.
            remove(channel, from: &membership.joined)
            accounts.forgetAll()
            membership.rejoins.append((channel, now + configuration.rejoinDelay))
            let by = message.command == "KICK" ? " by \(source?.nick ?? "?")" : ""
            actions = [.reportProblem("removed from \(channel)\(by) (\(message.parameters.last ?? "")); rejoining in \(configuration.rejoinDelay)")]
        case "QUIT":
            guard let source else { break }
            accounts.forget(source.nick, caseMapping)
            actions = regainNickname(freed: source.nick)
        case "NICK":
            guard let source, let new = message.parameter(0) else { break }
            if fromUs {
                sourceLength += new.utf8.count - nick.utf8.count
                nick = new
            } else {
                accounts.renamed(source.nick, to: new, caseMapping)
                actions = regainNickname(freed: source.nick)
            }
        case "ACCOUNT":
            if let source, capabilities.contains("account-notify") { accounts.set(source.nick, account: message.parameter(0), caseMapping) }
        case "CAP" where message.parameter(1)?.uppercased() == "DEL":
            for name in (message.parameters.last ?? "").split(separator: " ") { capabilities.remove(String(name)) }
        default:
            break
        }
        state = .registered(membership)
        return actions + readyIfSettled()
    }

    /// Sends JOIN for each channel and waits for the server's answer to each.
    mutating func join(_ channels: [String], _ membership: inout Membership) -> [IRCAction] {
        var actions: [IRCAction] = []
        for channel in channels where !contains(channel, membership.pending) && !contains(channel, membership.joined) {
            membership.pending.append(channel)
            actions.append(.send(IRCMessage(command: "JOIN", parameters: [channel])))
        }
        return actions
    }

    /// `.ready` once, when every first join has been answered (or has timed out).
    mutating func readyIfSettled() -> [IRCAction] {
        guard case .registered(var membership) = state, !membership.readyReported, membership.pending.isEmpty else { return [] }
        membership.readyReported = true
        state = .registered(membership)
        return [.ready(nick: nick)]
    }

    mutating func membershipTimerFired(_ membership: inout Membership, at now: ContinuousClock.Instant) -> [IRCAction] {
        var actions: [IRCAction] = []
        let due = membership.rejoins.filter { $0.at <= now }.map(\.channel)
        membership.rejoins.removeAll { $0.at <= now }
        actions += join(due, &membership)
        if !membership.readyReported, now >= membership.joinDeadline, !membership.pending.isEmpty {
            actions.append(.reportProblem("no answer to JOIN \(membership.pending.joined(separator: ", "))"))
            membership.pending = []
            membership.readyReported = true
            actions.append(.ready(nick: nick))
        }
        return actions
    }

    /// On an alternate nickname, take the configured one back when its holder quits or changes nick.
    private func regainNickname(freed: String) -> [IRCAction] {
        guard !caseMapping.equal(nick, configuration.nick), caseMapping.equal(freed, configuration.nick) else { return [] }
        return [.send(IRCMessage(command: "NICK", parameters: [configuration.nick]))]
    }

    func contains(_ channel: String, _ list: [String]) -> Bool {
        list.contains { caseMapping.equal($0, channel) }
    }

    func remove(_ channel: String, from list: inout [String]) {
        list.removeAll { caseMapping.equal($0, channel) }
    }
}
