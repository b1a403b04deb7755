import Testing
@testable import StewardController

/// Addressing and the identity policy sees.
@Suite struct IRCInboundTests {
    static func message(_ text: String, isDirect: Bool = false, account: String? = nil, botNick: String = "steward") -> IRCIncomingMessage {
        IRCIncomingMessage(
            sender: IRCSource(nick: "alice", user: "~alice", host: "127.0.0.1"), account: account, room: isDirect ? "alice" : "#ops",
            text: text, isDirect: isDirect, botNick: botNick)
    }

    static func command(_ message: IRCIncomingMessage) -> String? {
        IRCInbound.chatMessage(message, configuredNick: "steward", names: ["opsbot"], prefix: "!", eventID: "e1")?.text
    }

    static let addressed: [(String, String?)] = [
        ("steward: metrics all", "metrics all"),
        ("Steward, metrics all", "metrics all"),
        ("@steward metrics all", "metrics all"),
        ("!metrics all", "metrics all"),
        ("opsbot: help", "help"),
        ("steward_: ping all", nil),
        ("hello steward: metrics all", nil),
        ("ask steward later", nil),
        ("! not a command", nil),
    ]

    @Test(arguments: addressed)
    func channelMessagesMustBeAddressed(_ text: String, _ expected: String?) {
        #expect(Self.command(Self.message(text)) == expected)
    }

    @Test func theCurrentAlternateNicknameAddressesTheBotToo() {
        #expect(Self.command(Self.message("steward_: ping all", botNick: "steward_")) == "ping all")
        #expect(Self.command(Self.message("steward: ping all", botNick: "steward_")) == "ping all")
    }

    @Test func anythingInAPrivateMessageIsForTheBot() {
        #expect(Self.command(Self.message("metrics all", isDirect: true)) == "metrics all")
        #expect(Self.command(Self.message("steward: metrics all", isDirect: true)) == "metrics all")
    }

    @Test func theChatMessageCarriesRoomIdentityAndEventID() throws {
        let chat = try #require(IRCInbound.chatMessage(
            Self.message("!whoami"), configuredNick: "steward", names: [], prefix: "!", eventID: "01J.7"))
        #expect(chat == ChatMessage(
            platform: "irc", room: "#ops", userID: "alice!~alice@127.0.0.1", displayName: "alice", text: "whoami", eventID: "01J.7"))
        #expect(chat.actor == "irc:alice!~alice@127.0.0.1")
        let withAccount = try #require(IRCInbound.chatMessage(
            Self.message("!whoami", account: "alice"), configuredNick: "steward", names: [], prefix: "!", eventID: "01J.8"))
        #expect(withAccount.userID == "alice")
    }
}
