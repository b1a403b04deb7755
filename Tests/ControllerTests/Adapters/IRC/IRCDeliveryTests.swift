import Testing
@testable import StewardController

/// Which PRIVMSGs reach the engine, from whom, and where the answer goes.
@Suite struct IRCDeliveryTests {
    static func deliveries(_ lines: [String], caps: String? = nil) throws -> [IRCIncomingMessage] {
        var script = IRCStateMachineScript()
        _ = script.connect()
        if let caps {
            _ = try script.receive(":i CAP * LS :\(caps)")
            _ = try script.receive(":i CAP * ACK :\(caps)")
        }
        _ = try script.receive(IRCStateMachineScript.welcome)
        _ = try script.receive(":steward!~steward@127.0.0.1 JOIN #ops")
        var delivered: [IRCIncomingMessage] = []
        for line in lines {
            for case .deliver(let message) in try script.receive(line) { delivered.append(message) }
        }
        return delivered
    }

    @Test func channelAndPrivateMessagesAreDelivered() throws {
        let delivered = try Self.deliveries([
            ":alice!~alice@127.0.0.1 PRIVMSG #OPS :steward: metrics all",
            ":alice!~alice@127.0.0.1 PRIVMSG Steward :whoami",
        ])
        #expect(delivered == [
            IRCIncomingMessage(sender: IRCSource(nick: "alice", user: "~alice", host: "127.0.0.1"), account: nil, room: "#ops",
                               text: "steward: metrics all", isDirect: false, botNick: "steward"),
            IRCIncomingMessage(sender: IRCSource(nick: "alice", user: "~alice", host: "127.0.0.1"), account: nil, room: "alice",
                               text: "whoami", isDirect: true, botNick: "steward"),
        ])
    }

    static let ignored: [String] = [
        ":alice!~alice@127.0.0.1 NOTICE #ops :steward: metrics all",
        ":alice!~alice@127.0.0.1 PRIVMSG #ops :\u{1}VERSION\u{1}",
        ":alice!~alice@127.0.0.1 PRIVMSG steward :\u{1}PING 123\u{1}",
        ":steward!~steward@127.0.0.1 PRIVMSG #ops :steward: talking to myself",
        ":irc.test PRIVMSG #ops :server notices are not commands",
        ":alice PRIVMSG #ops :a source without user and host is no identity",
        ":alice!~alice@127.0.0.1 PRIVMSG $*.test :broadcast",
        ":alice!~alice@127.0.0.1 PRIVMSG #ops",
    ]

    @Test(arguments: ignored)
    func noticesCTCPOurOwnLinesAndServerLinesAreIgnored(_ line: String) throws {
        #expect(try Self.deliveries([line]).isEmpty)
    }

    @Test func theAccountTagIsTheIdentityWhenTheServerSendsIt() throws {
        let delivered = try Self.deliveries([
            "@account=alice :alice!~a@h PRIVMSG #ops :!whoami",
            ":alice!~a@h PRIVMSG #ops :!whoami",
            "@account=bad!name :alice!~a@h PRIVMSG #ops :!whoami",
        ], caps: "account-tag")
        #expect(delivered.map(\.account) == ["alice", nil, nil])
        #expect(delivered.map(IRCInbound.userID) == ["alice", "alice!~a@h", "alice!~a@h"])
    }

    @Test func anAccountTagWithoutTheCapabilityIsNotTrusted() throws {
        let delivered = try Self.deliveries(["@account=root :mallory!~m@h PRIVMSG #ops :!whoami"])
        #expect(delivered.map(IRCInbound.userID) == ["mallory!~m@h"])
    }

    @Test func extendedJoinAndAccountNotifyFollowAccountsByNick() throws {
        let delivered = try Self.deliveries([
            ":alice!~a@h JOIN #ops alice :Alice A.",
            ":alice!~a@h PRIVMSG #ops :!one",
            ":alice!~a@h NICK :alice2",
            ":alice2!~a@h PRIVMSG #ops :!two",
            ":alice2!~a@h ACCOUNT *",
            ":alice2!~a@h PRIVMSG #ops :!three",
            ":alice2!~a@h ACCOUNT alice",
            ":alice2!~a@h PART #ops :bye",
            ":alice2!~a@h PRIVMSG steward :!four",
        ], caps: "extended-join account-notify")
        #expect(delivered.map(\.account) == ["alice", "alice", nil, nil])
    }

    @Test func extendedJoinAloneIsNotEnoughToTrustAnAccount() throws {
        let delivered = try Self.deliveries([
            ":alice!~a@h JOIN #ops alice :Alice A.",
            ":alice!~a@h PRIVMSG #ops :!one",
        ], caps: "extended-join")
        #expect(delivered.map(\.account) == [nil])
    }

    @Test func beingKickedForgetsEveryAccount() throws {
        let delivered = try Self.deliveries([
            ":alice!~a@h JOIN #ops alice :Alice A.",
            ":op!o@h KICK #ops steward :out",
            ":alice!~a@h PRIVMSG steward :!one",
        ], caps: "extended-join account-notify")
        #expect(delivered.map(\.account) == [nil])
    }

    @Test func roomsFoldByTheServersCaseMapping() throws {
        var script = IRCStateMachineScript()
        try script.registered()
        let rfc = described(try script.receive(":a!b@c PRIVMSG #Ops[1] :!x"))
        #expect(rfc == ["deliver a!b@c #ops{1} !x"])
        _ = try script.receive(":irc.test 005 steward CASEMAPPING=ascii CHANTYPES=#+ :are supported")
        #expect(described(try script.receive(":a!b@c PRIVMSG #Ops[1] :!x")) == ["deliver a!b@c #ops[1] !x"])
        #expect(described(try script.receive(":a!b@c PRIVMSG +modeless :!x")) == ["deliver a!b@c +modeless !x"])
        #expect(try script.receive(":a!b@c PRIVMSG &local :!x").isEmpty, "& is not a channel type here any more")
    }
}
