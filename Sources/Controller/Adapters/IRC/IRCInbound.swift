/// Turns a PRIVMSG for the bot into the engine's ``ChatMessage``, deciding who sent it.
///
/// Identity: IRC has no immutable user id, and a nickname alone is anyone's for the taking. The user id
/// policy sees is therefore
/// - the services **account** name (`alice`) when the server vouches for it (IRCv3 `account-tag`, or
///   `extended-join` with `account-notify`), else
/// - the full **`nick!user@host`** mask as the server relayed it (`alice!~alice@192.0.2.7`), matched
///   exactly: a different host or ident is a different identity.
///
/// An account never contains `!` or `@`, so the two forms cannot be confused in `policy.yaml`. A bare
/// nickname is never an identity.
enum IRCInbound {
    static func userID(_ message: IRCIncomingMessage) -> String {
        message.account ?? message.sender.description
    }

    /// The command for the engine, or nil when the message is not addressed to the bot.
    ///
    /// In a channel the bot is addressed as `steward: ...`, `steward, ...`, `@steward ...` (its current
    /// nickname, its configured one, or one of `names`) or with the prefix (`!metrics all`); anything sent
    /// privately is for the bot.
    static func chatMessage(
        _ message: IRCIncomingMessage, configuredNick: String, names: [String], prefix: String, eventID: String
    ) -> ChatMessage? {
        var botNames = [message.botNick]
        for name in [configuredNick] + names where !botNames.contains(where: { $0.lowercased() == name.lowercased() }) {
            botNames.append(name)
        }
        guard let command = ChatAddressing.extract(
            text: message.text, botNames: botNames, mentionForms: [], prefix: prefix, isDirectMessage: message.isDirect)
        else { return nil }
        return ChatMessage(
            platform: "irc", room: message.room, thread: nil, userID: userID(message), displayName: message.sender.nick,
            text: command, eventID: eventID, isDirect: message.isDirect)
    }
}
