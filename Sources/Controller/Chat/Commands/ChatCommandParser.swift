/// Turns the text addressed to the bot into a `ChatCommand`, or explains what is wrong with it.
///
/// Pure: no I/O, no clock, no policy. Verbs are case-insensitive; options may appear anywhere after
/// the verb; quoted words are always literal, so `run grep "--count" x on web` passes `--count` on.
public struct ChatCommandParser: Sendable {
    /// Custom commands from `commands.yaml`, tried when the first word is not a built-in verb.
    public var aliases: [CommandAlias]

    public init(aliases: [CommandAlias] = []) {
        self.aliases = aliases
    }

    public func parse(_ text: String) throws(ChatParseError) -> ChatCommand {
        let tokens = try ChatTokenizer.tokenize(text)
        guard let first = tokens.first else {
            throw ChatParseError(code: .empty, message: "no command given", usage: "help")
        }
        let verb = first.text.lowercased()
        let rest = Array(tokens.dropFirst())
        if let entry = ChatCommandCatalogue.builtin(verb) {
            return try Self.parseBuiltin(verb, rest, usage: entry.usage, knownTopics: topics)
        }
        let candidates = aliases.filter { $0.trigger == verb }
        if !candidates.isEmpty {
            return try Self.resolve(candidates, words: tokens)
        }
        let suggestion = ChatSuggestion.closest(to: verb, among: ChatCommandCatalogue.builtins.map(\.verb) + triggers)
        throw ChatParseError(
            code: .unknownCommand,
            message: "unknown command `\(Self.echo(first.text))`" + (suggestion == nil ? " (`help` lists the commands)" : ""),
            suggestion: suggestion, offset: first.offset)
    }

    /// The usage line of a built-in verb, an alias name or an alias's first word; nil if none is known.
    public func usage(_ verb: String) -> String? {
        let verb = verb.lowercased()
        if let entry = ChatCommandCatalogue.builtin(verb) { return entry.usage }
        let matching = aliases.filter { $0.name == verb || $0.trigger == verb }
        return matching.isEmpty ? nil : matching.map(\.usage).joined(separator: " or ")
    }

    /// Every command, built-in then aliases, for `help` (the caller filters by what the user may run).
    public var catalogue: [ChatCommandHelp] {
        ChatCommandCatalogue.builtins + aliases.map(\.helpEntry)
    }

    /// The first words of alias patterns: what a person types to use them.
    var triggers: [String] {
        var seen: Set<String> = []
        return aliases.map(\.trigger).filter { seen.insert($0).inserted }
    }

    /// What `help TOPIC` accepts.
    var topics: [String] {
        ChatCommandCatalogue.builtins.map(\.verb) + aliases.map(\.name) + triggers
    }

    /// Tries each alias with this first word; the first whose shape fits is validated and resolved.
    static func resolve(_ candidates: [CommandAlias], words tokens: [ChatToken]) throws(ChatParseError) -> ChatCommand {
        let usage = candidates.map(\.usage).joined(separator: " or ")
        let (words, options) = try extractOptions(Array(tokens.dropFirst()), verb: tokens[0].text, usage: usage, takesOptions: true)
        let all = [tokens[0]] + words
        for alias in candidates where alias.fits(all) {
            return try alias.resolve(all, options: options)
        }
        throw ChatParseError(code: .badArguments, message: "`\(echo(tokens[0].text))` does not take these words", usage: usage)
    }

    /// User text quoted back in a reply, shortened so a 4 KiB paste does not become a 4 KiB error, and
    /// without backticks so it cannot break out of the code span.
    static func echo(_ text: String) -> String {
        let cleaned = String(text.map { $0 == "`" ? "'" : $0 })
        return cleaned.count <= 40 ? cleaned : cleaned.prefix(40) + "…"
    }
}
