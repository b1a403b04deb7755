extension ChatCommandParser {
    /// The options every job verb accepts.
    static let optionNames = ["--batch", "--max-errors", "--timeout", "--dry-run"]

    /// Splits unquoted `--name`, `--name value` and `--name=value` words out of `tokens`, in any position.
    /// A verb that takes no options rejects them, rather than ignoring `--dry-run` on something that acts.
    static func extractOptions(
        _ tokens: [ChatToken], verb: String, usage: String, takesOptions: Bool
    ) throws(ChatParseError) -> (words: [ChatToken], options: JobOptions) {
        var words: [ChatToken] = []
        var options = JobOptions()
        var seen: Set<String> = []
        var index = 0
        func fail(_ message: String, _ token: ChatToken, suggestion: String? = nil) -> ChatParseError {
            ChatParseError(code: .badOption, message: message, usage: usage, suggestion: suggestion, offset: token.offset)
        }
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            guard isOption(token) else {
                words.append(token)
                continue
            }
            let parts = token.text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].lowercased()
            guard optionNames.contains(name) else {
                throw fail(
                    "unknown option `\(echo(String(parts[0])))` (quote it to pass it on as an argument)", token,
                    suggestion: ChatSuggestion.closest(to: name, among: optionNames))
            }
            guard takesOptions else { throw fail("`\(verb.lowercased())` takes no options", token) }
            guard seen.insert(name).inserted else { throw fail("`\(name)` is given twice", token) }
            if name == "--dry-run" {
                guard parts.count == 1 else { throw fail("`--dry-run` takes no value", token) }
                options.dryRun = true
                continue
            }
            let value: String
            if parts.count == 2 {
                value = String(parts[1])
            } else if index < tokens.count, !isOption(tokens[index]) {
                value = tokens[index].text
                index += 1
            } else {
                throw fail("`\(name)` needs a value", token)
            }
            switch name {
            case "--batch":
                let size = try batchSize(value, option: name, token: token, usage: usage)
                guard size != .count(0) else { throw fail("`--batch` must be at least 1", token) }
                options.batch = size
            case "--max-errors":
                options.maxErrors = try batchSize(value, option: name, token: token, usage: usage)
            default:
                guard let timeout = ChatDuration.parse(value) else {
                    throw fail("`--timeout \(echo(value))` is not a duration such as 30s, 5m or 1h (at most 24h)", token)
                }
                options.timeout = timeout
            }
        }
        return (words, options)
    }

    /// `--x` words outside quotes; a lone `-h` or `--` is an ordinary argument.
    static func isOption(_ token: ChatToken) -> Bool {
        !token.isQuoted && token.text.hasPrefix("--") && token.text.count > 2
    }

    private static func batchSize(_ text: String, option: String, token: ChatToken, usage: String) throws(ChatParseError) -> BatchSize {
        do {
            return try BatchSize(parsing: text)
        } catch {
            throw ChatParseError(
                code: .badOption, message: "`\(option) \(echo(text))`: use a count such as 5 or a share such as 25%",
                usage: usage, offset: token.offset)
        }
    }
}
