import Foundation
import Testing
@testable import StewardController

/// Registration: capabilities, SASL PLAIN, server password, nickname collisions, deadlines.
@Suite struct IRCRegistrationTests {
    @Test func registersJoinsEveryChannelAndIsReadyWhenAllAreJoined() throws {
        var script = IRCStateMachineScript(channels: ["#ops", "#dev"])
        #expect(described(script.connect()) == ["CAP LS 302", "NICK steward", "USER steward 0 * :Steward bot"])
        #expect(described(try script.receive(":irc.test CAP * LS :multi-prefix")) == ["CAP END"])
        #expect(described(try script.receive(IRCStateMachineScript.welcome)) == ["JOIN #ops", "JOIN #dev"])
        #expect(script.machine.sourceLength == "steward!~steward@127.0.0.1".utf8.count)
        #expect(described(try script.receive(":steward!~steward@127.0.0.1 JOIN :#ops")).isEmpty, "still waiting for #dev")
        #expect(described(try script.receive(":steward!~steward@127.0.0.1 JOIN #DEV")) == ["ready steward"])
        #expect(described(try script.receive(":irc.test 005 steward CASEMAPPING=ascii :are supported")).isEmpty)
        #expect(script.machine.caseMapping == .ascii)
    }

    @Test func aServerPasswordGoesFirst() {
        var script = IRCStateMachineScript(serverPassword: "s3cret")
        #expect(described(script.connect()).first == "PASS s3cret")
    }

    @Test func aServerWithoutCapabilitiesStillRegisters() throws {
        var script = IRCStateMachineScript(channels: [])
        _ = script.connect()
        #expect(described(try script.receive(":irc.test 421 * CAP :Unknown command")).isEmpty)
        #expect(described(try script.receive(IRCStateMachineScript.welcome)) == ["ready steward"])
    }

    static let credentials = IRCConnectionStateMachine.SASLCredentials(user: "steward", password: "s3cret")

    @Test func saslPlainThenAccountCapabilities() throws {
        var script = IRCStateMachineScript(sasl: Self.credentials)
        _ = script.connect()
        #expect(described(try script.receive(":irc.test CAP * LS * :multi-prefix sasl=EXTERNAL,PLAIN")).isEmpty, "more LS lines follow")
        #expect(described(try script.receive(":irc.test CAP * LS :account-tag extended-join")) == ["CAP REQ :sasl account-tag extended-join"])
        #expect(described(try script.receive(":irc.test CAP * ACK :sasl account-tag extended-join")) == ["AUTHENTICATE PLAIN"])
        let payload = Data("\0steward\0s3cret".utf8).base64EncodedString()
        #expect(described(try script.receive("AUTHENTICATE +")) == ["AUTHENTICATE \(payload)"])
        #expect(described(try script.receive(":irc.test 900 * steward!steward@h steward :You are now logged in as steward")).isEmpty)
        #expect(described(try script.receive(":irc.test 903 * :SASL authentication successful")) == ["CAP END"])
        #expect(described(try script.receive(IRCStateMachineScript.welcome)) == ["JOIN #ops"])
        #expect(script.machine.capabilities == ["sasl", "account-tag", "extended-join"])
    }

    @Test func saslPayloadsAreCutInto400ByteChunks() {
        func chunks(_ passwordLength: Int) -> [Int] {
            IRCConnectionStateMachine.plainPayload(.init(user: "u", password: String(repeating: "p", count: passwordLength)))
                .map { $0 == "+" ? 0 : $0.count }
        }
        #expect(chunks(10) == [20])
        #expect(chunks(297) == [400, 0], "exactly 400 bytes is followed by AUTHENTICATE +")
        #expect(chunks(298) == [400, 4])
        #expect(chunks(597) == [400, 400, 0])
    }

    /// (server lines after CAP LS 302, what the machine must report)
    static let saslRefusals: [([String], String)] = [
        ([":i CAP * LS :sasl", ":i CAP * ACK :sasl", "AUTHENTICATE +", ":i 904 * :SASL authentication failed"],
         "auth failed SASL PLAIN failed (904): SASL authentication failed"),
        ([":i CAP * LS :sasl", ":i CAP * ACK :sasl", "AUTHENTICATE +", ":i 902 * :You must use a nick assigned to you"],
         "auth failed SASL PLAIN failed (902): You must use a nick assigned to you"),
        ([":i CAP * LS :multi-prefix"], "auth failed the server does not offer SASL (no 'sasl' in CAP LS)"),
        ([":i CAP * LS :sasl=EXTERNAL"], "auth failed the server offers SASL EXTERNAL but not PLAIN"),
        ([":i CAP * LS :sasl", ":i CAP * NAK :sasl"], "auth failed the server refused the sasl capability"),
        ([":i 421 * CAP :Unknown command"], "auth failed the server does not support SASL (no CAP command)"),
        ([IRCStateMachineScript.welcome], "auth failed the server completed registration without SASL authentication"),
    ]

    @Test(arguments: saslRefusals)
    func saslRefusalsFailAuthenticationAndEndTheSession(_ lines: [String], _ outcome: String) throws {
        var script = IRCStateMachineScript(sasl: Self.credentials)
        _ = script.connect()
        var actions: [IRCAction] = []
        for line in lines { actions = try script.receive(line) }
        #expect(described(actions).last == outcome)
        #expect(script.machine.isClosed)
        #expect(try script.receive("PING :x").isEmpty, "nothing after the end")
    }

    @Test func aTakenNicknameMovesToAlternates() throws {
        var script = IRCStateMachineScript()
        _ = script.connect()
        #expect(described(try script.receive(":i 433 * steward :Nickname already in use"))
            == ["NICK steward_", "problem the nickname steward is in use (433); trying steward_"])
        #expect(described(try script.receive(":i 433 * steward_ :Nickname already in use")).first == "NICK steward__")
        _ = try script.receive(":i 001 steward__ :Welcome steward__!~steward@127.0.0.1")
        #expect(script.machine.nick == "steward__")
        #expect(script.machine.sourceLength == "steward__!~steward@127.0.0.1".utf8.count)
    }

    @Test func runningOutOfAlternatesCloses() throws {
        var script = IRCStateMachineScript(maxNickAttempts: 2)
        _ = script.connect()
        _ = try script.receive(":i 433 * steward :in use")
        _ = try script.receive(":i 436 * steward_ :collision")
        #expect(described(try script.receive(":i 433 * steward__ :in use")) == ["close the nicknames steward to steward__ are all in use"])
    }

    @Test func anErroneousNicknameCloses() throws {
        var script = IRCStateMachineScript()
        _ = script.connect()
        #expect(described(try script.receive(":i 432 * steward :Erroneous nickname")).first?.hasPrefix("close the server refuses the nickname 'steward' (432)") == true)
    }

    @Test func registrationHasADeadline() throws {
        var script = IRCStateMachineScript()
        _ = script.connect()
        #expect(script.tick(after: .seconds(59)).isEmpty)
        #expect(described(script.tick(after: .seconds(1))).first?.hasPrefix("close the server did not complete registration") == true)
    }

    @Test func aJoinWithoutAnswerStillEndsInReady() throws {
        var script = IRCStateMachineScript(channels: ["#ops", "#quiet"])
        _ = script.connect()
        _ = try script.receive(IRCStateMachineScript.welcome)
        _ = try script.receive(":steward!~steward@127.0.0.1 JOIN #ops")
        #expect(described(script.tick(after: .seconds(15))) == ["problem no answer to JOIN #quiet", "ready steward"])
    }

    @Test func aRefusedJoinIsReportedAndDoesNotHoldUpReady() throws {
        var script = IRCStateMachineScript(channels: ["#ops", "#secret"])
        _ = script.connect()
        _ = try script.receive(IRCStateMachineScript.welcome)
        _ = try script.receive(":steward!~steward@127.0.0.1 JOIN #ops")
        #expect(described(try script.receive(":i 473 steward #secret :Cannot join channel (+i)"))
            == ["problem cannot join #secret (473): Cannot join channel (+i)", "ready steward"])
    }
}
