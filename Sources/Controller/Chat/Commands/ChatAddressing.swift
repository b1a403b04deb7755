/// Decides whether a chat message is meant for the bot, and returns the command text without the address.
///
/// A message is for the bot when it starts with a platform mention (`<@U123>`), `@steward`, `steward:`
/// or `steward,`, or the prefix (`!metrics all`), or when it is a direct message. A name merely
/// mentioned later in a sentence does not count: the bot should not act on "ask steward later".
public enum ChatAddressing {
    /// The command text, or nil when the message is not for the bot. An address with nothing after it
    /// gives "" (the parser answers that with the `help` hint).
    ///
    /// - Parameters:
    ///   - botNames: names people type, matched case-insensitively as `@name`, `name:` or `name,`.
    ///   - mentionForms: the platform's literal mention markup (`<@U123>`, `@steward:example.org`), matched exactly.
    ///   - prefix: the command prefix; empty disables it.
    public static func extract(
        text: String, botNames: [String], mentionForms: [String], prefix: String = "!", isDirectMessage: Bool
    ) -> String? {
        let message = trimmed(Substring(text))
        if let rest = afterAddress(message, botNames: botNames, mentionForms: mentionForms, prefix: prefix) {
            return String(trimmed(rest))
        }
        return isDirectMessage ? String(message) : nil
    }

    private static func afterAddress(_ message: Substring, botNames: [String], mentionForms: [String], prefix: String) -> Substring? {
        // Longest first, so `@steward:example.org` wins over a shorter form that is its prefix.
        for form in mentionForms.filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count }) where message.hasPrefix(form) {
            return droppingSeparator(message.dropFirst(form.count))
        }
        for name in botNames where !name.isEmpty {
            if let rest = dropPrefixCaseInsensitive("@" + name, from: message) {
                guard let next = rest.first else { return rest }
                if next.isWhitespace || next == ":" || next == "," { return droppingSeparator(rest) }
            }
            if let rest = dropPrefixCaseInsensitive(name, from: message), let next = rest.first, next == ":" || next == "," {
                return rest.dropFirst()
            }
        }
        if !prefix.isEmpty, message.hasPrefix(prefix) {
            let rest = message.dropFirst(prefix.count)
            // "!" alone, "! wow" and "!!!" are exclamations, not commands.
            guard let next = rest.first, !next.isWhitespace, !rest.hasPrefix(prefix) else { return nil }
            return rest
        }
        return nil
    }

    private static func dropPrefixCaseInsensitive(_ prefix: String, from message: Substring) -> Substring? {
        guard message.count >= prefix.count else { return nil }
        let head = message.prefix(prefix.count)
        return head.lowercased() == prefix.lowercased() ? message.dropFirst(prefix.count) : nil
    }

    /// Drops one `:` or `,` straight after a mention (`<@U123>: help`).
    private static func droppingSeparator(_ rest: Substring) -> Substring {
        let trimmedRest = trimmed(rest)
        if let first = trimmedRest.first, first == ":" || first == "," { return trimmedRest.dropFirst() }
        return trimmedRest
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let start = text.drop(while: \.isWhitespace)
        var end = start.endIndex
        while end > start.startIndex, start[start.index(before: end)].isWhitespace {
            end = start.index(before: end)
        }
        return start[start.startIndex..<end]
    }
}
