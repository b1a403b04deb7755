import Testing
@testable import StewardController

/// A registered connection: PING, kicks, errors, keepalive, nickname regain.
@Suite struct IRCSessionBehaviourTests {
    @Test func pingIsAnsweredWithTheSameToken() throws {
        var script = IRCStateMachineScript()
        _ = script.connect()
        #expect(described(try script.receive("PING :irc.test")) == ["PONG irc.test"], "also while registering")
        try script.registered()
        #expect(described(try script.receive("PING :a b")) == ["PONG :a b"])
    }

    @Test func aKickIsReportedAndTheChannelRejoinedAfterTheDelay() throws {
        var script = IRCStateMachineScript()
        try script.registered()
        #expect(described(try script.receive(":op!o@h KICK #ops steward :behave"))
            == ["problem removed from #ops by op (behave); rejoining in 5.0 seconds"])
        #expect(script.tick(after: .seconds(4)).isEmpty)
        #expect(described(script.tick(after: .seconds(1))) == ["JOIN #ops"])
        #expect(script.tick(after: .seconds(5)).isEmpty, "one rejoin, not one per tick")
        #expect(described(try script.receive(":steward!~steward@127.0.0.1 JOIN #ops")).isEmpty, "ready is reported once")
    }

    @Test func someoneElsesKickChangesNothing() throws {
        var script = IRCStateMachineScript()
        try script.registered()
        #expect(try script.receive(":op!o@h KICK #ops alice :bye").isEmpty)
        #expect(script.tick(after: .seconds(10)).isEmpty)
    }

    /// (line, outcome)
    static let endings: [(String, String)] = [
        ("ERROR :Closing link: (steward@127.0.0.1) [Quit]", "close the server closed the link: Closing link: (steward@127.0.0.1) [Quit]"),
        ("ERROR :Access denied: Bad password?", "auth failed the server refused the password: Access denied: Bad password?"),
        (":i 464 * :Password incorrect", "auth failed the server refused the password (464): Password incorrect"),
        (":i 465 steward :You are banned", "close the server bans this client (465): You are banned"),
    ]

    @Test(arguments: endings)
    func errorsEndTheSession(_ line: String, _ outcome: String) throws {
        var script = IRCStateMachineScript()
        try script.registered()
        #expect(described(try script.receive(line)) == [outcome])
        #expect(script.machine.isClosed)
        #expect(script.tick(after: .seconds(600)).isEmpty)
    }

    @Test func aSilentServerIsPingedThenGivenUp() throws {
        var script = IRCStateMachineScript()
        try script.registered()
        #expect(script.tick(after: .seconds(89)).isEmpty)
        #expect(described(script.tick(after: .seconds(1))) == ["PING steward-keepalive"])
        #expect(script.tick(after: .seconds(89)).isEmpty, "one ping, then wait")
        #expect(described(script.tick(after: .seconds(1))).first?.hasPrefix("close no answer from the server") == true)
    }

    @Test func anyLineCountsAsAnAnswer() throws {
        var script = IRCStateMachineScript()
        try script.registered()
        _ = script.tick(after: .seconds(90))
        _ = try script.receive(":irc.test PONG irc.test :steward-keepalive")
        #expect(script.tick(after: .seconds(89)).isEmpty)
        #expect(!script.machine.isClosed)
    }

    @Test func theConfiguredNicknameIsTakenBackWhenItsHolderLeaves() throws {
        var script = IRCStateMachineScript()
        _ = script.connect()
        _ = try script.receive(":i 433 * steward :in use")
        _ = try script.receive(":i 001 steward_ :Welcome steward_!~steward@127.0.0.1")
        #expect(try script.receive(":bob!b@h QUIT :bye").isEmpty)
        #expect(described(try script.receive(":steward!x@y QUIT :gone")) == ["NICK steward"])
        #expect(try script.receive(":steward_!~steward@127.0.0.1 NICK :steward").isEmpty)
        #expect(script.machine.nick == "steward")
        #expect(script.machine.sourceLength == "steward!~steward@127.0.0.1".utf8.count)
        #expect(try script.receive(":other!o@h NICK :steward2").isEmpty, "already on the configured nick")
    }
}
