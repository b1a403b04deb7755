import Testing
@testable import StewardController

/// The Realtime API without sockets: the frames the bot sends (exact bytes), the frames it reads (documented
/// payloads and hostile ones), and the session state machine driven through a whole handshake.
@Suite("Rocket.Chat Realtime API frames")
struct RocketChatDDPTests {
    @Test func requestsAreTheDocumentedFrames() {
        #expect(RocketChatDDPRequest.connect() == #"{"msg":"connect","support":["1"],"version":"1"}"#)
        #expect(RocketChatDDPRequest.login(id: "7", token: "tok/en\"x") == #"{"id":"7","method":"login","msg":"method","params":[{"resume":"tok/en\"x"}]}"#)
        #expect(RocketChatDDPRequest.subscribeToMyMessages(id: "s") == #"{"id":"s","msg":"sub","name":"stream-room-messages","params":["__my_messages__",false]}"#)
        #expect(RocketChatDDPRequest.pong(id: "p1") == #"{"id":"p1","msg":"pong"}"#)
        #expect(RocketChatDDPRequest.pong(id: nil) == #"{"msg":"pong"}"#)
    }

    static let alice = RocketChatMessage.User(id: "aobEdbYhXfu5hkeqG", username: "alice")

    static let parsed: [(String, RocketChatDDPFrame)] = [
        (#"{"server_id":"0"}"#, .serverID),
        (#"{"msg":"connected","session":"kTBwr7R4fS6dwL3tT"}"#, .connected(session: "kTBwr7R4fS6dwL3tT")),
        (#"{"msg":"failed","version":"pre2"}"#, .failed(version: "pre2")),
        (#"{"msg":"ping"}"#, .ping(id: nil)),
        (#"{"msg":"ping","id":"x1"}"#, .ping(id: "x1")),
        (#"{"msg":"result","id":"1","result":{"id":"u","token":"t","tokenExpires":{"$date":1},"type":"resume"}}"#, .result(id: "1", error: nil)),
        (#"{"msg":"result","id":"1","error":{"isClientSafe":true,"error":403,"reason":"You've been logged out by the server. Please log in again.","message":"You've been logged out by the server. Please log in again. [403]","errorType":"Meteor.Error"}}"#,
         .result(id: "1", error: .init(error: "403", reason: "You've been logged out by the server. Please log in again.",
                                       message: "You've been logged out by the server. Please log in again. [403]"))),
        (#"{"msg":"ready","subs":["2"]}"#, .ready(subscriptions: ["2"])),
        (#"{"msg":"nosub","id":"2","error":{"error":"not-allowed","reason":"Not allowed"}}"#, .nosub(id: "2", error: .init(error: "not-allowed", reason: "Not allowed"))),
        (#"{"msg":"updated","methods":["1"]}"#, .ignored("updated")),
        (#"{"msg":"added","collection":"users","id":"u1","fields":{"username":"bob"}}"#, .ignored("added")),
        (#"{"msg":"changed","collection":"stream-notify-user","id":"id","fields":{"eventName":"u/notification","args":[42]}}"#, .ignored("changed")),
        (#"{"msg":"error","reason":"Bad request","offendingMessage":{}}"#, .error(reason: "Bad request")),
        (FakeRocketChat.message(id: "m1", text: "@steward ping all", thread: "root1"),
         .roomMessage(.init(id: "m1", roomID: "GENERAL", text: "@steward ping all", user: alice, threadID: "root1"))),
        (FakeRocketChat.message(id: "m2", text: "hi", roomFacts: true), .roomMessage(.init(id: "m2", roomID: "GENERAL", text: "hi", user: alice))),
        (FakeRocketChat.message(id: "m3", text: "", extra: #","t":"uj""#), .roomMessage(.init(id: "m3", roomID: "GENERAL", text: "", user: alice, systemType: "uj"))),
        (FakeRocketChat.message(id: "m4", text: "x", extra: #","editedAt":{"$date":1700000000001},"editedBy":{"_id":"a","username":"alice"}"#),
         .roomMessage(.init(id: "m4", roomID: "GENERAL", text: "x", user: alice, isEdited: true))),
        (FakeRocketChat.message(id: "m5", text: "x", extra: #","bot":{"i":"JMaJ3zXqbYr9Ejpqs"}"#),
         .roomMessage(.init(id: "m5", roomID: "GENERAL", text: "x", user: alice, isFromBot: true))),
        (FakeRocketChat.message(id: "m6", text: "x", extra: #","editedAt":null,"bot":null,"tmid":"""#),
         .roomMessage(.init(id: "m6", roomID: "GENERAL", text: "x", user: alice))),
    ]

    @Test(arguments: parsed)
    func framesParseAsDocumented(_ text: String, _ expected: RocketChatDDPFrame) throws {
        #expect(try RocketChatDDPFrame.parse(text) == expected)
    }

    /// (frame, fragment of the reason)
    static let malformed: [(String, String)] = [
        ("not json", "not JSON"),
        ("[1,2]", "not a JSON object"),
        (#"{"id":"1"}"#, "without 'msg'"),
        (#"{"msg":7}"#, "'msg' has the wrong type"),
        (#"{"msg":"result"}"#, "a result without an id"),
        (#"{"msg":"nosub","id":""}"#, "a nosub without an id"),
        (#"{"msg":"ready","subs":"2"}"#, "'subs' has the wrong type"),
        (#"{"msg":"changed","collection":"stream-room-messages","fields":{"eventName":"__my_messages__","args":[42]}}"#, "'fields.args[0]' has the wrong type"),
        (#"{"msg":"changed","collection":"stream-room-messages","fields":{"eventName":"__my_messages__","args":[]}}"#, "fields.args"),
        (#"{"msg":"changed","collection":"stream-room-messages","fields":{"args":[{"_id":"m","rid":"r","msg":"x"}]}}"#, "'fields.args[0].u' is missing"),
        (#"{"msg":"changed","collection":"stream-room-messages","fields":{"args":[{"_id":5,"rid":"r","u":{"_id":"a"}}]}}"#, "'fields.args[0]._id' has the wrong type"),
    ]

    @Test(arguments: malformed)
    func hostileFramesAreRefusedWithAReason(_ text: String, _ fragment: String) {
        #expect {
            _ = try RocketChatDDPFrame.parse(text)
        } throws: { error in
            guard let error = error as? RocketChatError else { return false }
            return error.code == .malformed && error.message.contains(fragment) && !error.message.contains("42")
        }
    }

    @Test func theSessionConnectsLogsInSubscribesThenDelivers() {
        var machine = RocketChatRealtime(token: "T")
        #expect(machine.opened() == RocketChatDDPRequest.connect())
        #expect(machine.received(.serverID) == .none)
        #expect(machine.received(.ping(id: "a")) == .send(#"{"id":"a","msg":"pong"}"#), "pings are answered at any time")
        let message = RocketChatMessage(id: "m1", roomID: "GENERAL", text: "hi", user: Self.alice)
        #expect(machine.received(.roomMessage(message)) == .log("a room message arrived before the subscription was ready"))
        #expect(machine.received(.connected(session: "s")) == .send(RocketChatDDPRequest.login(id: RocketChatRealtime.loginID, token: "T")))
        #expect(machine.received(.result(id: "other", error: nil)) == .log("an unexpected result frame while awaitingLogin"))
        #expect(machine.received(.result(id: RocketChatRealtime.loginID, error: nil))
                == .send(RocketChatDDPRequest.subscribeToMyMessages(id: RocketChatRealtime.subscriptionID)))
        #expect(!machine.isSubscribed)
        #expect(machine.received(.ready(subscriptions: [RocketChatRealtime.subscriptionID])) == .subscribed)
        #expect(machine.isSubscribed)
        #expect(machine.received(.roomMessage(message)) == .deliver(message))
        #expect(machine.received(.ignored("updated")) == .none)
        #expect(machine.received(.error(reason: "Bad request")) == .log("the server could not read a frame: Bad request"))
        #expect(machine.received(.nosub(id: RocketChatRealtime.subscriptionID, error: .init(reason: "Not allowed")))
                == .close("the server ended the message subscription: Not allowed"))
        #expect(machine.received(.roomMessage(message)) == .none, "nothing after the session ended")
    }

    @Test func aRefusedLoginIsRefusedCredentialsWithTheServersReason() {
        var machine = RocketChatRealtime(token: "T")
        _ = machine.received(.connected(session: nil))
        let refusal = RocketChatDDPFrame.Failure(error: "403", reason: "You've been logged out by the server. Please log in again.")
        #expect(machine.received(.result(id: RocketChatRealtime.loginID, error: refusal))
                == .refuseCredentials("You've been logged out by the server. Please log in again."))
        #expect(machine.received(.ready(subscriptions: [RocketChatRealtime.subscriptionID])) == .none)
    }

    @Test func anUnsupportedVersionClosesTheSession() {
        var machine = RocketChatRealtime(token: "T")
        #expect(machine.received(.failed(version: "pre1")) == .close("the server does not speak DDP version 1 (it offers pre1)"))
    }

    @Test func reasonsFromTheServerCannotForgeLogLines() {
        let shown = RocketChatText.shown("bad\n[critical] forged\u{1B}[31m" + String(repeating: "x", count: 500))
        #expect(!shown.contains("\n") && !shown.contains("\u{1B}"))
        #expect(shown.count == RocketChatText.maxShownCharacters + 1)
    }
}
