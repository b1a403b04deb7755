extension IRCConnectionStateMachine {
    /// A PRIVMSG to one of our channels or to us. NOTICEs, CTCP requests, our own lines, and lines from a
    /// server or a source without a full mask are never delivered (a bot must not answer those).
    func privateOrChannelMessage(_ message: IRCMessage) -> [IRCAction] {
        guard let source = message.source, source.isFullMask, message.parameters.count >= 2,
              !caseMapping.equal(source.nick, nick)
        else { return [] }
        let target = message.parameters[0]
        let text = message.parameters[1]
        guard !text.hasPrefix("\u{1}") else { return [] }
        let isDirect = caseMapping.equal(target, nick)
        guard isDirect || target.first.map(channelPrefixes.contains) == true else { return [] }
        return [.deliver(IRCIncomingMessage(
            sender: source, account: account(of: source, in: message), room: isDirect ? source.nick : caseMapping.folded(target),
            text: text, isDirect: isDirect, botNick: nick))]
    }

    /// The sender's account, only from what the server itself vouches for: the `account` tag when
    /// `account-tag` is on, else the account book when `extended-join` and `account-notify` are both on.
    func account(of source: IRCSource, in message: IRCMessage) -> String? {
        if capabilities.contains("account-tag") {
            return message.tags["account"].flatMap(IRCAccountBook.validAccount)
        }
        if capabilities.contains("extended-join"), capabilities.contains("account-notify") {
            return accounts.account(of: source.nick, caseMapping)
        }
        return nil
    }
}
