import Testing
@testable import StewardController

/// Lines from servers, well-formed and hostile, against what the parser must make of them.
@Suite struct IRCMessageParsingTests {
    static func parse(_ text: String) throws -> IRCMessage {
        try IRCMessage.parse(Array(text.utf8))
    }

    static let wellFormed: [(String, IRCMessage)] = [
        ("PING :irc.localhost", IRCMessage(command: "PING", parameters: ["irc.localhost"])),
        (":irc.localhost 001 steward :Welcome to the Internet Relay Network steward!~steward@127.0.0.1",
         IRCMessage(source: IRCSource(nick: "irc.localhost"), command: "001",
                    parameters: ["steward", "Welcome to the Internet Relay Network steward!~steward@127.0.0.1"])),
        (":alice!~alice@127.0.0.1 PRIVMSG #ops :steward: metrics all",
         IRCMessage(source: IRCSource(nick: "alice", user: "~alice", host: "127.0.0.1"), command: "PRIVMSG",
                    parameters: ["#ops", "steward: metrics all"])),
        ("@account=alice;time=2024-01-01T00:00:00.000Z :alice!a@h PRIVMSG steward :hi",
         IRCMessage(tags: ["account": "alice", "time": "2024-01-01T00:00:00.000Z"], source: IRCSource(nick: "alice", user: "a", host: "h"),
                    command: "PRIVMSG", parameters: ["steward", "hi"])),
        ("@a=semi\\:space\\sback\\\\cr\\rlf\\n;b;c=;d=trailing\\ :s PING x",
         IRCMessage(tags: ["a": "semi;space back\\cr\rlf\n", "b": "", "c": "", "d": "trailing"], source: IRCSource(nick: "s"),
                    command: "PING", parameters: ["x"])),
        ("privmsg #ops :lower-case command", IRCMessage(command: "PRIVMSG", parameters: ["#ops", "lower-case command"])),
        (":s   JOIN    #ops   ", IRCMessage(source: IRCSource(nick: "s"), command: "JOIN", parameters: ["#ops"])),
        ("PRIVMSG #ops :", IRCMessage(command: "PRIVMSG", parameters: ["#ops", ""])),
        ("PRIVMSG #ops ::starts with a colon", IRCMessage(command: "PRIVMSG", parameters: ["#ops", ":starts with a colon"])),
        ("CAP * LS * :sasl=PLAIN,EXTERNAL account-tag", IRCMessage(command: "CAP", parameters: ["*", "LS", "*", "sasl=PLAIN,EXTERNAL account-tag"])),
        ("QUIT", IRCMessage(command: "QUIT")),
        ("X 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 and the rest",
         IRCMessage(command: "X", parameters: (1...14).map(String.init) + ["15 and the rest"])),
        (":nick!user@host NICK new", IRCMessage(source: IRCSource(nick: "nick", user: "user", host: "host"), command: "NICK", parameters: ["new"])),
    ]

    @Test(arguments: wellFormed)
    func parsesWellFormedLines(_ line: String, _ expected: IRCMessage) throws {
        #expect(try Self.parse(line) == expected)
    }

    /// (line, error code, fragment of the message)
    static let hostile: [([UInt8], IRCError.Code, String)] = [
        (Array("PRIVMSG #ops :a\u{0}b".utf8), .malformedLine, "byte 0"),
        (Array("PRIVMSG #ops :a\rQUIT".utf8), .malformedLine, "byte 13"),
        (Array("PRIVMSG #ops :a\nQUIT".utf8), .malformedLine, "byte 10"),
        (Array(":source".utf8), .malformedLine, "not a command"),
        (Array("".utf8), .malformedLine, "not a command"),
        (Array(": PING".utf8), .malformedLine, "source after ':' is empty"),
        (Array("12 x".utf8), .malformedLine, "not a command"),
        (Array("PRIV-MSG x".utf8), .malformedLine, "not a command"),
        (Array("@tags".utf8), .malformedLine, "not a command"),
        (Array("PRIVMSG #ops :".utf8) + Array(repeating: UInt8(ascii: "a"), count: 497), .lineTooLong, "513 bytes"),
        ([UInt8(ascii: "@")] + Array(repeating: UInt8(ascii: "t"), count: 8191) + Array(" PING x".utf8), .lineTooLong, "tags take 8193"),
    ]

    @Test(arguments: hostile)
    func refusesHostileLines(_ line: [UInt8], _ code: IRCError.Code, _ fragment: String) {
        #expect {
            _ = try IRCMessage.parse(line)
        } throws: { error in
            guard let error = error as? IRCError else { return false }
            return error.code == code && error.message.contains(fragment)
        }
    }

    @Test func aLineOfExactly512BytesWithCRLFIsAccepted() throws {
        let line = Array("PRIVMSG #ops :".utf8) + Array(repeating: UInt8(ascii: "a"), count: 496)
        #expect(line.count == 510)
        #expect(try IRCMessage.parse(line).parameters[1].count == 496)
    }

    @Test func tagsMayTakeTheirOwn8191BytesBesideTheLine() throws {
        let tags = [UInt8(ascii: "@")] + Array("k=".utf8) + Array(repeating: UInt8(ascii: "v"), count: 8187) + [UInt8(ascii: " ")]
        #expect(tags.count == 8191)
        let line = tags + Array("PRIVMSG #ops :".utf8) + Array(repeating: UInt8(ascii: "a"), count: 496)
        let message = try IRCMessage.parse(line)
        #expect(message.tags["k"]?.count == 8187)
        #expect(message.parameters[1].count == 496)
    }

    @Test func invalidUTF8BecomesReplacementCharacters() throws {
        let line = Array(":a!b@c PRIVMSG #ops :caf".utf8) + [0xE9, 0x20, 0xFF, 0xC3] + Array(" ok".utf8)
        let message = try IRCMessage.parse(line)
        #expect(message.parameters[1] == "caf\u{FFFD} \u{FFFD}\u{FFFD} ok")
        #expect(message.source == IRCSource(nick: "a", user: "b", host: "c"))
    }

    @Test func sourcesSplitIntoNickUserAndHost() {
        #expect(IRCSource(parsing: "alice!~alice@127.0.0.1") == IRCSource(nick: "alice", user: "~alice", host: "127.0.0.1"))
        #expect(IRCSource(parsing: "alice@host") == IRCSource(nick: "alice", user: nil, host: "host"))
        #expect(IRCSource(parsing: "irc.example.org") == IRCSource(nick: "irc.example.org"))
        #expect(IRCSource(parsing: "alice!~alice@127.0.0.1").isFullMask)
        #expect(!IRCSource(parsing: "alice!@host").isFullMask)
        #expect(!IRCSource(parsing: "irc.example.org").isFullMask)
        #expect(IRCSource(parsing: "a!b@c").description == "a!b@c")
    }
}
