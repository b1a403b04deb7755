import Yams

extension CommandsFile {
    static let aliasKeys: Set<String> = ["pattern", "params", "action", "target", "help"]

    static func parseAlias(_ name: String, keyNode: Node, node: Node, reader: CommandsFileReader) throws(CommandsFileError) -> CommandAlias {
        let keyPath = "commands.\(name)"
        guard isAliasName(name) else {
            throw reader.error(
                .invalidValue, keyNode, keyPath, "command names use lower-case letters, digits and -, start with a letter, at most 32")
        }
        guard ChatCommandCatalogue.builtin(name) == nil else {
            throw reader.error(.shadowsBuiltin, keyNode, keyPath, "`\(name)` is a built-in command")
        }
        let entries = try reader.mapping(node, at: keyPath, allowed: aliasKeys)
        func entry(_ key: String) -> (keyNode: Node, value: Node)? {
            entries.first { $0.key == key }.map { ($0.keyNode, $0.value) }
        }

        let patternNode = try reader.required("pattern", in: entries, of: node, at: keyPath)
        let pattern = try parsePattern(
            try reader.string(patternNode, at: "\(keyPath).pattern"), node: patternNode, at: "\(keyPath).pattern", reader: reader)
        let used = pattern.compactMap { element -> String? in
            if case .parameter(let name) = element { return name }
            return nil
        }

        var parameters: [String: AliasParameter] = [:]
        if let params = entry("params") {
            for param in try reader.mapping(params.value, at: "\(keyPath).params") {
                let paramPath = "\(keyPath).params.\(param.key)"
                guard AliasTemplate.isParameterName(param.key) else {
                    throw reader.error(.invalidValue, param.keyNode, paramPath, "parameter names use a-z, 0-9 and _, at most 32")
                }
                guard used.contains(param.key) else {
                    throw reader.error(.invalidTemplate, param.keyNode, paramPath, "declared but not used in the pattern")
                }
                parameters[param.key] = try parseParameter(param.key, node: param.value, at: paramPath, reader: reader)
            }
        }
        for name in used where parameters[name] == nil {
            throw reader.error(.invalidTemplate, patternNode, "\(keyPath).pattern", "`{\(name)}` has no entry under params")
        }

        let actionNode = try reader.required("action", in: entries, of: node, at: keyPath)
        let action = try parseAction(actionNode, at: "\(keyPath).action", parameters: Set(used), reader: reader)
        let targetNode = try reader.required("target", in: entries, of: node, at: keyPath)
        let target = try parseTarget(targetNode, at: "\(keyPath).target", parameters: parameters, reader: reader)

        var help: String?
        if let helpEntry = entry("help") {
            let text = try reader.string(helpEntry.value, at: "\(keyPath).help")
            guard text.count <= 200 else { throw reader.error(.invalidValue, helpEntry.value, "\(keyPath).help", "longer than 200 characters") }
            help = text
        }
        return CommandAlias(name: name, pattern: pattern, parameters: parameters, action: action, target: target, help: help)
    }

    /// `deploy {app} to {env}`: fixed words and `{param}` slots; the first must be a fixed word that is
    /// not a built-in verb, so an alias can never change what `restart` means.
    static func parsePattern(_ text: String, node: Node, at keyPath: String, reader: CommandsFileReader) throws(CommandsFileError) -> [CommandAlias.PatternElement] {
        let words = text.split(whereSeparator: { $0 == " " }).map(String.init)
        guard !words.isEmpty, words.count <= 16 else { throw reader.error(.invalidTemplate, node, keyPath, "a pattern has 1 to 16 words") }
        var elements: [CommandAlias.PatternElement] = []
        var seen: Set<String> = []
        for word in words {
            if word.contains("{") || word.contains("}") {
                guard let pieces = AliasTemplate.pieces(word), pieces.count == 1, case .placeholder(let name) = pieces[0] else {
                    throw reader.error(.invalidTemplate, node, keyPath, "`\(word)`: a parameter is a whole word such as {app}")
                }
                guard seen.insert(name).inserted else { throw reader.error(.invalidTemplate, node, keyPath, "`{\(name)}` appears twice") }
                elements.append(.parameter(name))
            } else {
                guard word.utf8.allSatisfy({ ChatNames.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }),
                    !word.hasPrefix("-")
                else {
                    throw reader.error(.invalidTemplate, node, keyPath, "`\(word)`: pattern words use letters, digits, - and _")
                }
                elements.append(.word(word.lowercased()))
            }
        }
        guard case .word(let first) = elements[0] else {
            throw reader.error(.invalidTemplate, node, keyPath, "a pattern starts with a fixed word, not a parameter")
        }
        guard ChatCommandCatalogue.builtin(first) == nil else {
            throw reader.error(.shadowsBuiltin, node, keyPath, "`\(first)` is a built-in command")
        }
        return elements
    }

    static func isAliasName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first >= 0x61, first <= 0x7A, name.utf8.count <= 32 else { return false }
        return name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") }
    }
}
