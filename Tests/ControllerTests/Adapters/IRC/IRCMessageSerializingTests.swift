import Testing
@testable import StewardController

/// What the client writes: golden bytes, and refusal of anything that would smuggle a second line.
@Suite struct IRCMessageSerializingTests {
    static func line(_ message: IRCMessage) throws -> String {
        String(decoding: try message.serialized(), as: UTF8.self)
    }

    static let golden: [(IRCMessage, String)] = [
        (IRCMessage(command: "NICK", parameters: ["steward"]), "NICK steward\r\n"),
        (IRCMessage(command: "USER", parameters: ["steward", "0", "*", "Steward ChatOps bot"]), "USER steward 0 * :Steward ChatOps bot\r\n"),
        (IRCMessage(command: "PRIVMSG", parameters: ["#ops", "hello"]), "PRIVMSG #ops hello\r\n"),
        (IRCMessage(command: "PRIVMSG", parameters: ["#ops", ""]), "PRIVMSG #ops :\r\n"),
        (IRCMessage(command: "PRIVMSG", parameters: ["#ops", ":-)"]), "PRIVMSG #ops ::-)\r\n"),
        (IRCMessage(command: "CAP", parameters: ["REQ", "sasl account-tag"]), "CAP REQ :sasl account-tag\r\n"),
        (IRCMessage(command: "AUTHENTICATE", parameters: ["+"]), "AUTHENTICATE +\r\n"),
        (IRCMessage(command: "CAP", parameters: ["END"]), "CAP END\r\n"),
        (IRCMessage(tags: ["b": "x y;z", "a": ""], source: IRCSource(nick: "n", user: "u", host: "h"), command: "001", parameters: ["n", "hi there"]),
         "@a;b=x\\sy\\:z :n!u@h 001 n :hi there\r\n"),
    ]

    @Test(arguments: golden)
    func writesGoldenLines(_ message: IRCMessage, _ expected: String) throws {
        #expect(try Self.line(message) == expected)
        // And reads them back as they were.
        let bytes = try message.serialized()
        #expect(try IRCMessage.parse(Array(bytes.dropLast(2))) == message)
    }

    static let refused: [(IRCMessage, IRCError.Code)] = [
        (IRCMessage(command: "PRIVMSG", parameters: ["#ops", "hi\r\nQUIT :pwned"]), .invalidCharacter),
        (IRCMessage(command: "PRIVMSG", parameters: ["#ops", "hi\nJOIN #evil"]), .invalidCharacter),
        (IRCMessage(command: "PRIVMSG", parameters: ["#ops", "nul\u{0}byte"]), .invalidCharacter),
        (IRCMessage(command: "PRIVMSG", parameters: ["#ops evil", "x"]), .invalidCharacter),
        (IRCMessage(command: "PRIVMSG", parameters: [":#ops", "x"]), .invalidCharacter),
        (IRCMessage(command: "PRIVMSG", parameters: ["", "x"]), .invalidCharacter),
        (IRCMessage(command: "PRIV MSG", parameters: ["#ops", "x"]), .invalidCharacter),
        (IRCMessage(command: "privmsg", parameters: ["#ops", "x"]), .invalidCharacter),
        (IRCMessage(command: "", parameters: []), .invalidCharacter),
        (IRCMessage(command: "X", parameters: Array(repeating: "p", count: 16)), .invalidCharacter),
        (IRCMessage(source: IRCSource(nick: "a b"), command: "PING", parameters: ["x"]), .invalidCharacter),
        (IRCMessage(tags: ["k ey": "v"], command: "PING", parameters: ["x"]), .invalidCharacter),
        (IRCMessage(command: "PRIVMSG", parameters: ["#ops", String(repeating: "a", count: 498)]), .lineTooLong),
        (IRCMessage(command: "PRIVMSG", parameters: ["#ops", "a " + String(repeating: "a", count: 495)]), .lineTooLong),
    ]

    @Test(arguments: refused)
    func refusesLinesThatWouldChangeMeaning(_ message: IRCMessage, _ code: IRCError.Code) {
        #expect {
            _ = try message.serialized()
        } throws: { error in
            (error as? IRCError)?.code == code
        }
    }

    @Test func exactly512BytesIsAllowed() throws {
        // "PRIVMSG #ops " + 497 bytes + CRLF, and the same with the trailing ':' and one byte less.
        #expect(try IRCMessage(command: "PRIVMSG", parameters: ["#ops", String(repeating: "a", count: 497)]).serialized().count == 512)
        #expect(try IRCMessage(command: "PRIVMSG", parameters: ["#ops", "a " + String(repeating: "a", count: 494)]).serialized().count == 512)
    }
}
