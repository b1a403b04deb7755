/// What the connection state machine asks its driver to do.
enum IRCAction: Sendable, Hashable {
    /// Write this line to the server.
    case send(IRCMessage)
    /// Hand a message someone sent us (in a channel or privately) to the chat side.
    case deliver(IRCIncomingMessage)
    /// Registered and every configured channel joined (or refused): the connection is healthy.
    case ready(nick: String)
    /// Something the operator should see that does not end the connection (a kick, a channel we cannot join).
    case reportProblem(String)
    /// The server refused our credentials (SASL or server password); close and report it.
    case failAuthentication(String)
    /// Close the connection for this reason (the driver reconnects with backoff).
    case close(reason: String)
}

/// A PRIVMSG for us, with what identity needs: the sender's mask and, where the server vouches for it, account.
struct IRCIncomingMessage: Sendable, Hashable {
    var sender: IRCSource
    /// The services account the server says the sender is logged in to, nil when unknown or not logged in.
    var account: String?
    /// Where a reply goes: the channel (case-folded) or, for a private message, the sender's nick.
    var room: String
    var text: String
    var isDirect: Bool
    /// Our nickname when the message arrived (people address the bot by it).
    var botNick: String
}
