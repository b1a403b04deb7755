/// Parses os-release (freedesktop.org format: shell-like KEY="value" assignments).
enum OSReleaseParser {
    /// Invalid lines are skipped, as the os-release specification asks of readers.
    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for (_, line) in ProcText.lines(text) {
            let trimmed = Substring(ProcText.trim(line))
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = String(trimmed[..<equals])
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { continue }
            values[key] = unquote(trimmed[trimmed.index(after: equals)...])
        }
        return values
    }

    /// The human-readable OS name: PRETTY_NAME, else "NAME VERSION", else the spec's default "Linux".
    static func displayName(_ values: [String: String]) -> String {
        if let pretty = values["PRETTY_NAME"], !pretty.isEmpty { return pretty }
        if let name = values["NAME"], !name.isEmpty {
            if let version = values["VERSION"], !version.isEmpty { return "\(name) \(version)" }
            return name
        }
        return "Linux"
    }

    private static func unquote(_ raw: Substring) -> String {
        guard let quote = raw.first, quote == "\"" || quote == "'", raw.count >= 2, raw.last == quote else {
            return String(raw)
        }
        let inner = raw.dropFirst().dropLast()
        guard quote == "\"" else { return String(inner) }
        // Inside double quotes, a backslash escapes $ " \ and `.
        var result = ""
        var escaping = false
        for character in inner {
            if escaping {
                result.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
