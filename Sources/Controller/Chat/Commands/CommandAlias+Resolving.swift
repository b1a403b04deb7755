extension CommandAlias {
    /// Whether the words (verb first, options already removed) have the pattern's shape: same count and
    /// the same fixed words, unquoted, in any case.
    func fits(_ words: [ChatToken]) -> Bool {
        guard words.count == pattern.count else { return false }
        for (element, token) in zip(pattern, words) {
            if case .word(let word) = element, token.isQuoted || token.text.lowercased() != word.lowercased() {
                return false
            }
        }
        return true
    }

    /// Validates every parameter, then builds the job; nothing is substituted until all values passed.
    func resolve(_ words: [ChatToken], options: JobOptions) throws(ChatParseError) -> ChatCommand {
        var values: [String: String] = [:]
        for (element, token) in zip(pattern, words) {
            guard case .parameter(let name) = element else { continue }
            guard let parameter = parameters[name] else {
                throw ChatParseError(code: .badArguments, message: "`\(name)` has no declared type", usage: usage)
            }
            do {
                values[name] = try parameter.accept(token.text, usage: usage)
            } catch {
                var located = error
                located.offset = token.offset
                throw located
            }
        }
        return .alias(name: name, parameters: values, action: try resolvedAction(values), target: try resolvedTarget(values), options: options)
    }

    func resolvedAction(_ values: [String: String]) throws(ChatParseError) -> JobAction {
        switch action {
        case .fixed(let action):
            return action
        case .service(let operation, let template):
            let unit = AliasTemplate.render(template, values: values)
            guard ChatNames.isServiceUnit(unit) else {
                throw ChatParseError(
                    code: .badArguments, message: "`\(ChatCommandParser.echo(unit))` is not a service name", usage: usage)
            }
            return .service(operation: operation, unit: unit)
        case .exec(let command, let arguments):
            return .exec(command: command, arguments: arguments.map { AliasTemplate.render($0, values: values) })
        }
    }

    /// A lone `{host}` target takes the whole selector; anywhere else a value must be a plain name, so
    /// `web,env=prod` cannot add hosts or labels to `role={app}`.
    func resolvedTarget(_ values: [String: String]) throws(ChatParseError) -> TargetSelector {
        let pieces = AliasTemplate.pieces(target) ?? []
        let wholeHost: Bool
        if pieces.count == 1, case .placeholder(let name) = pieces[0], parameters[name]?.kind == .host {
            wholeHost = true
        } else {
            wholeHost = false
        }
        if !wholeHost {
            for case .placeholder(let name) in pieces {
                let value = values[name] ?? ""
                guard ChatNames.isHost(value) else {
                    throw ChatParseError(
                        code: .badArguments,
                        message: "`\(name)`: `\(ChatCommandParser.echo(value))` cannot be part of a selector (letters, digits, . _ - only)",
                        usage: usage)
                }
            }
        }
        do {
            return try TargetSelector(parsing: AliasTemplate.render(target, values: values))
        } catch {
            throw ChatParseError(code: .badArguments, message: "target: \(error)", usage: usage)
        }
    }
}
