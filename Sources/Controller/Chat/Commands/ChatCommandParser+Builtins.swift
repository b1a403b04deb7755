extension ChatCommandParser {
    /// `history HOST` without a count shows this many jobs.
    public static let defaultHistoryLimit = 10
    /// The most jobs `history` lists in a chat reply.
    public static let maxHistoryLimit = 100

    static func parseBuiltin(
        _ verb: String, _ tokens: [ChatToken], usage: String, knownTopics: [String]
    ) throws(ChatParseError) -> ChatCommand {
        let takesOptions = ChatCommandCatalogue.jobVerbs.contains(verb)
        let (words, options) = try extractOptions(tokens, verb: verb, usage: usage, takesOptions: takesOptions)
        func bad(_ message: String, at token: ChatToken? = nil) -> ChatParseError {
            ChatParseError(code: .badArguments, message: message, usage: usage, offset: token?.offset)
        }
        func noExtra(after count: Int) throws(ChatParseError) {
            guard words.count > count else { return }
            throw bad("unexpected `\(echo(words[count].text))`", at: words[count])
        }

        switch verb {
        case "help":
            try noExtra(after: 1)
            guard let word = words.first else { return .help(topic: nil) }
            let topic = word.text.lowercased()
            guard knownTopics.contains(topic) else {
                throw ChatParseError(
                    code: .unknownCommand, message: "no command `\(echo(word.text))`", usage: usage,
                    suggestion: ChatSuggestion.closest(to: topic, among: knownTopics), offset: word.offset)
            }
            return .help(topic: topic)
        case "agents":
            return .agents(selector: words.isEmpty ? nil : try selector(words, usage: usage))
        case "ping", "facts", "metrics", "reboot":
            // `metrics on web-*` reads naturally; a lone `on` is still taken as a host name.
            let rest = words.count > 1 && isKeyword(words[0], "on") ? Array(words.dropFirst()) : words
            guard !rest.isEmpty else { throw bad("which hosts? give a selector such as `all`, `web-1` or `role=web`") }
            let action: JobAction = verb == "ping" ? .ping : verb == "facts" ? .facts : verb == "metrics" ? .metrics : .reboot
            return .job(action: action, target: try selector(rest, usage: usage), options: options)
        case "status", "start", "stop", "restart":
            guard let unit = words.first, !isKeyword(unit, "on") else { throw bad("which service? name it before `on`") }
            guard ChatNames.isServiceUnit(unit.text) else {
                throw bad("`\(echo(unit.text))` is not a service name (letters, digits and @ . _ : -)", at: unit)
            }
            guard words.count > 1, isKeyword(words[1], "on") else {
                throw bad("expected `on SELECTOR` after the service name", at: words.count > 1 ? words[1] : unit)
            }
            guard words.count > 2 else { throw bad("which hosts? give a selector after `on`") }
            let operation = JobAction.ServiceOperation(rawValue: verb) ?? .status
            return .job(
                action: .service(operation: operation, unit: unit.text),
                target: try selector(Array(words.dropFirst(2)), usage: usage), options: options)
        case "run":
            guard let name = words.first, !isKeyword(name, "on") else { throw bad("which command? name it after `run`") }
            guard ChatNames.isCommandName(name.text) else {
                throw bad("`\(echo(name.text))` is not a command name (letters, digits and . _ -)", at: name)
            }
            // The last unquoted `on` separates arguments from hosts; quote an argument that is literally "on".
            guard let on = words.lastIndex(where: { isKeyword($0, "on") }), on > 0 else {
                throw bad("expected `on SELECTOR` after the command")
            }
            guard on + 1 < words.count else { throw bad("which hosts? give a selector after `on`") }
            let arguments = words[1..<on].map(\.text)
            return .job(
                action: .exec(command: name.text, arguments: arguments),
                target: try selector(Array(words[(on + 1)...]), usage: usage), options: options)
        case "history":
            try noExtra(after: 2)
            guard let host = words.first else { throw bad("which host?") }
            guard ChatNames.isHost(host.text) else { throw bad("`\(echo(host.text))` is not a host name", at: host) }
            var limit = defaultHistoryLimit
            if words.count == 2 {
                guard let count = Int(words[1].text), (1...maxHistoryLimit).contains(count) else {
                    throw bad("the count must be a number from 1 to \(maxHistoryLimit)", at: words[1])
                }
                limit = count
            }
            return .history(host: host.text, limit: limit)
        case "job", "cancel", "approve", "deny":
            try noExtra(after: 1)
            guard let word = words.first else { throw bad("which job? give its id") }
            guard let id = ChatNames.jobID(word.text) else {
                throw bad("`\(echo(word.text))` is not a job id (up to 26 letters and digits)", at: word)
            }
            return verb == "job" ? .jobStatus(id: id) : verb == "cancel" ? .cancel(id: id) : verb == "approve" ? .approve(id: id) : .deny(id: id)
        case "whoami":
            try noExtra(after: 0)
            return .whoami
        default:
            try noExtra(after: 0)
            return .confirm
        }
    }

    static func isKeyword(_ token: ChatToken, _ keyword: String) -> Bool {
        !token.isQuoted && token.text.lowercased() == keyword
    }

    /// The words (joined by spaces, so `web-1, web-2` works) as a selector.
    static func selector(_ words: [ChatToken], usage: String) throws(ChatParseError) -> TargetSelector {
        let text = words.map(\.text).joined(separator: " ")
        do {
            return try TargetSelector(parsing: text)
        } catch {
            throw ChatParseError(code: .badArguments, message: "\(error)", usage: usage, offset: words.first?.offset)
        }
    }
}
