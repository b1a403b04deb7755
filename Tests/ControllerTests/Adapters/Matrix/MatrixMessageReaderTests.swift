import Foundation
import Testing
@testable import StewardController

@Suite("Matrix sync answers to chat messages")
struct MatrixMessageReaderTests {
    static let bot = MatrixBotIdentity(userID: "@steward:example.org", displayName: "Steward Bot")
    static let room = "!VNYvo2tUDaFySqRNXZiYB70lQ3ixf_0Mq3ORH79nUYs"

    /// A sync answer with `events` in the timeline of `room`, shaped like the spec's `/sync` example.
    static func sync(_ events: [String], room: String = room, batch: String = "s72595_4483_1934") -> String {
        """
        {"next_batch":"\(batch)","account_data":{"events":[]},"presence":{"events":[]},
         "rooms":{"join":{"\(room)":{"summary":{},"state":{"events":[]},
           "timeline":{"events":[\(events.joined(separator: ","))],"limited":false,"prev_batch":"t34-23535_0_0"},
           "ephemeral":{"events":[]},"account_data":{"events":[]},"unread_notifications":{"highlight_count":0}}},
          "invite":{},"leave":{}}}
        """
    }

    static func text(_ body: String, sender: String = "@alice:example.org", id: String = "$143273582443PhrSn:example.org",
                     msgtype: String = "m.text", extra: String = "") -> String {
        """
        {"type":"m.room.message","sender":"\(sender)","event_id":"\(id)","origin_server_ts":1432735824653,
         "unsigned":{"age":1234},"content":{"msgtype":"\(msgtype)","body":\(json(body))\(extra)}}
        """
    }

    static func json(_ string: String) -> String {
        String(decoding: try! JSONEncoder().encode(string), as: UTF8.self)
    }

    func messages(_ events: [String], reader: MatrixMessageReader = MatrixMessageReader(bot: bot)) throws -> [ChatMessage] {
        reader.messages(in: try MatrixSyncResponse.parse(Data(Self.sync(events).utf8), botUserID: Self.bot.userID))
    }

    @Test func aNameAddressedMessageBecomesAChatMessage() throws {
        let found = try messages([Self.text("steward: metrics all")])
        #expect(found == [ChatMessage(
            platform: "matrix", room: Self.room, thread: nil, userID: "@alice:example.org", displayName: "@alice:example.org",
            text: "metrics all", eventID: "$143273582443PhrSn:example.org", isDirect: false)])
    }

    /// (body, command) for every way people address the bot.
    static let mentions: [(String, String)] = [
        ("steward: metrics all", "metrics all"),
        ("Steward, ping web-01", "ping web-01"),
        ("@steward metrics all", "metrics all"),
        ("@steward: metrics all", "metrics all"),
        ("@steward:example.org metrics all", "metrics all"),
        ("@steward:example.org: metrics all", "metrics all"),
        ("Steward Bot: facts web-*", "facts web-*"),
        ("!metrics all", "metrics all"),
        ("  steward:   help  ", "help"),
    ]

    @Test(arguments: mentions)
    func everyMentionFormIsAnAddress(_ body: String, _ command: String) throws {
        #expect(try messages([Self.text(body)]).map(\.text) == [command])
    }

    static let notAddressed = [
        "metrics all",
        "ask steward later",
        "@stewardess: hello",
        "@steward:other.org metrics all",
        "! wow",
        "",
    ]

    @Test(arguments: notAddressed)
    func messagesNotForTheBotAreIgnored(_ body: String) throws {
        #expect(try messages([Self.text(body)]).isEmpty)
    }

    @Test func anyMessageInADirectRoomIsACommand() throws {
        let reader = MatrixMessageReader(bot: Self.bot, directRooms: [Self.room])
        let found = try messages([Self.text("history web-01")], reader: reader)
        #expect(found.map(\.text) == ["history web-01"])
        #expect(found.first?.isDirect == true)
    }

    @Test func theBotsOwnEventsEditsNoticesAndNonTextAreIgnored() throws {
        let ignored = [
            Self.text("steward: metrics all", sender: "@steward:example.org"),
            Self.text("* steward: metrics all", extra: #","m.new_content":{"msgtype":"m.text","body":"steward: metrics all"},"m.relates_to":{"rel_type":"m.replace","event_id":"$orig"}"#),
            Self.text("steward: metrics all", msgtype: "m.notice"),
            Self.text("steward: metrics all", msgtype: "m.emote"),
            Self.text("steward: metrics all", msgtype: "m.image"),
            #"{"type":"m.room.encrypted","sender":"@alice:example.org","event_id":"$enc","content":{"algorithm":"m.megolm.v1.aes-sha2","ciphertext":"x"}}"#,
            #"{"type":"m.reaction","sender":"@alice:example.org","event_id":"$r","content":{"m.relates_to":{"rel_type":"m.annotation","event_id":"$x","key":"👍"}}}"#,
        ]
        #expect(try messages(ignored).isEmpty)
    }

    @Test func aMessageInAThreadKeepsTheThreadRoot() throws {
        let found = try messages([Self.text("steward: ping all", extra: #","m.relates_to":{"rel_type":"m.thread","event_id":"$root","is_falling_back":true,"m.in_reply_to":{"event_id":"$last"}}"#)])
        #expect(found.first?.thread == "$root")
        #expect(found.first?.text == "ping all")
    }

    @Test func aReplysQuotedFallbackIsDropped() throws {
        let body = "> <@bob:example.org> what is the load?\n> second line\n\nsteward: metrics web-01"
        let found = try messages([Self.text(body, extra: #","m.relates_to":{"m.in_reply_to":{"event_id":"$q"}}"#)])
        #expect(found.map(\.text) == ["metrics web-01"])
        #expect(found.first?.thread == nil)
    }

    @Test func historyBeforeTheBotsOwnJoinIsNotRun() throws {
        let join = #"{"type":"m.room.member","sender":"@steward:example.org","state_key":"@steward:example.org","event_id":"$join","content":{"membership":"join"},"unsigned":{"prev_content":{"membership":"invite"}}}"#
        let rename = #"{"type":"m.room.member","sender":"@steward:example.org","state_key":"@steward:example.org","event_id":"$rename","content":{"membership":"join","displayname":"S"},"unsigned":{"prev_content":{"membership":"join"}}}"#
        let found = try messages([Self.text("steward: reboot all", id: "$old"), join, Self.text("steward: ping all", id: "$new"), rename,
                                  Self.text("steward: facts all", id: "$newer")])
        #expect(found.map(\.eventID) == ["$new", "$newer"])
    }

    @Test func staleEventsAfterDowntimeAreNotRun() throws {
        let old = Self.text("steward: reboot all", id: "$old").replacingOccurrences(of: #""age":1234"#, with: #""age":3600000"#)
        let reader = MatrixMessageReader(bot: Self.bot, maxAge: .seconds(600))
        #expect(try messages([old, Self.text("steward: ping all", id: "$new")], reader: reader).map(\.eventID) == ["$new"])
    }

    @Test func roomsOutsideTheAllowlistAreIgnored() throws {
        let reader = MatrixMessageReader(bot: Self.bot, rooms: ["!other:example.org"])
        #expect(try messages([Self.text("steward: ping all")], reader: reader).isEmpty)
        let listed = MatrixMessageReader(bot: Self.bot, rooms: [Self.room])
        #expect(try messages([Self.text("steward: ping all")], reader: listed).count == 1)
    }

    @Test func hostileEventsAreSkippedWithoutLosingTheRest() throws {
        let hostile = [
            #"{"type":"m.room.message","sender":"@alice:example.org","event_id":"$n","content":{"msgtype":"m.text","body":42}}"#,
            #"{"type":"m.room.message","sender":["@alice:example.org"],"event_id":"$s","content":{"msgtype":"m.text","body":"steward: ping all"}}"#,
            #"{"type":"m.room.message","sender":"@alice:example.org","content":{"msgtype":"m.text","body":"steward: ping all"}}"#,
            #"{"type":"m.room.message","sender":"@alice:example.org","event_id":"$c","content":"steward: ping all"}"#,
            #""not an event""#, "17", "null", "[]",
            Self.text("steward: " + String(repeating: "A", count: 5000), id: "$huge"),
            Self.text("steward: metrics <script>alert(1)</script> \u{0}\u{202E}", id: "$odd"),
            Self.text("steward: ping all", id: "$fine"),
        ]
        let found = try messages(hostile)
        #expect(found.map(\.eventID) == ["$odd", "$fine"])
        #expect(found.first?.text == "metrics <script>alert(1)</script> \u{0}\u{202E}", "kept verbatim for the parser, escaped when echoed")
    }

    @Test func anAnswerWithoutNextBatchIsMalformed() {
        for body in [#"{"rooms":{}}"#, "[]", "<html>", #"{"next_batch":""}"#, #"{"next_batch":7}"#] {
            #expect {
                try MatrixSyncResponse.parse(Data(body.utf8))
            } throws: { ($0 as? MatrixError)?.code == .malformedResponse }
        }
    }

    @Test func invitesAndDirectChatAccountDataAreRead() throws {
        let body = """
            {"next_batch":"s2","account_data":{"events":[{"type":"m.direct","content":{"@alice:example.org":["!dm1","!dm2:example.org"],"@bad":7}}]},
             "rooms":{"invite":{"!inv":{"invite_state":{"events":[
               {"type":"m.room.name","sender":"@alice:example.org","state_key":"","content":{"name":"ops"}},
               {"type":"m.room.member","sender":"@alice:example.org","state_key":"@steward:example.org","content":{"membership":"invite","is_direct":true}}]}}}}}
            """
        let response = try MatrixSyncResponse.parse(Data(body.utf8), botUserID: Self.bot.userID)
        #expect(response.invites == [.init(roomID: "!inv", inviter: "@alice:example.org", isDirect: true)])
        #expect(response.accountData.first?.direct == ["@alice:example.org": ["!dm1", "!dm2:example.org"]])
    }
}
