import Testing
@testable import StewardController

/// What a streamed message is to the bot, without sockets: skipped and why, or the command with its identity and thread.
@Suite("Rocket.Chat addressing")
struct RocketChatInboundTests {
    static let bot = RocketChatClient.Me(id: FakeRocketChat.botID, username: "steward")
    static let inbound = RocketChatInbound(bot: bot, names: ["opsbot"], prefix: "!", rooms: [])
    static let alice = RocketChatMessage.User(id: FakeRocketChat.alice, username: "alice")

    static func message(
        _ text: String, id: String = "msgAAAAAAAAAAAAA1", room: String = "GENERAL", user: RocketChatMessage.User = alice,
        thread: String? = nil, system: String? = nil, edited: Bool = false, bot: Bool = false
    ) -> RocketChatMessage {
        RocketChatMessage(id: id, roomID: room, text: text, user: user, threadID: thread, systemType: system, isEdited: edited, isFromBot: bot)
    }

    static let skipped: [(RocketChatMessage, RocketChatInbound.Skip)] = [
        (message("@steward ping all", user: .init(id: FakeRocketChat.botID, username: "steward")), .ownMessage),
        (message("alice", system: "uj"), .systemMessage("uj")),
        (message("@steward ping all", edited: true), .edited),
        (message("@steward ping all", bot: true), .fromIntegration),
        (message("@steward ping all", id: "a/b"), .malformed("a message id that is not a Rocket.Chat id")),
        (message("@steward ping all", room: ""), .malformed("a room id that is not a Rocket.Chat id")),
        (message("@steward ping all", user: .init(id: "alice smith", username: "alice")), .malformed("a user id that is not a Rocket.Chat id")),
        (message("@steward ping all", thread: "t?x=1"), .malformed("a thread id that is not a Rocket.Chat id")),
    ]

    @Test(arguments: skipped)
    func messagesThatAreNotCommandsAreSkippedWithTheirReason(_ message: RocketChatMessage, _ skip: RocketChatInbound.Skip) {
        #expect(Self.inbound.screen(message) == skip)
    }

    @Test func aHandedMessageIsADuplicateAfterwards() {
        var inbound = Self.inbound
        let message = Self.message("@steward ping all")
        #expect(inbound.screen(message) == nil)
        inbound.handed(message)
        #expect(inbound.screen(message) == .duplicate)
    }

    /// (text, in a direct room, the command or nil)
    static let addressed: [(String, Bool, String?)] = [
        ("@steward metrics all", false, "metrics all"),
        ("@Steward: metrics all", false, "metrics all"),
        ("steward, metrics all", false, "metrics all"),
        ("opsbot: metrics all", false, "metrics all"),
        ("!metrics all", false, "metrics all"),
        ("metrics all", false, nil),
        ("ask @steward later", false, nil),
        ("@stewardess hello", false, nil),
        ("metrics all", true, "metrics all"),
        ("@steward metrics all", true, "metrics all"),
    ]

    @Test(arguments: addressed)
    func channelsNeedAnAddressAndDirectRoomsDoNot(_ text: String, _ isDirect: Bool, _ command: String?) {
        #expect(Self.inbound.command(Self.message(text), isDirect: isDirect)?.text == command)
    }

    @Test func theCommandCarriesTheImmutableIdentityAndItsThread() throws {
        let top = try #require(Self.inbound.command(Self.message("@steward whoami", id: "topAAAAAAAAAAAAA"), isDirect: false))
        #expect(top == ChatMessage(
            platform: "rocketchat", room: "GENERAL", thread: "topAAAAAAAAAAAAA", userID: FakeRocketChat.alice, displayName: "alice",
            text: "whoami", eventID: "topAAAAAAAAAAAAA", isDirect: false))
        #expect(top.actor == "rocketchat:\(FakeRocketChat.alice)")
        let inThread = try #require(Self.inbound.command(Self.message("!whoami", thread: "rootAAAAAAAAAAAA"), isDirect: false))
        #expect(inThread.thread == "rootAAAAAAAAAAAA", "a command inside a thread is answered in that thread")
    }

    @Test func listedRoomsLimitChannelsButNotDirectRooms() {
        let listed = RocketChatInbound(bot: Self.bot, names: [], prefix: "!", rooms: ["GENERAL"])
        #expect(listed.allows(roomID: "GENERAL", isDirect: false))
        #expect(!listed.allows(roomID: "RANDOM", isDirect: false))
        #expect(listed.allows(roomID: FakeRocketChat.direct, isDirect: true))
        #expect(Self.inbound.allows(roomID: "RANDOM", isDirect: false), "no list: every room the bot is in")
    }

    @Test func aGroupDirectMessageIsAChannel() {
        #expect(RocketChatRoomTypes.isDirect(.init(type: "d", usersCount: 2)))
        #expect(!RocketChatRoomTypes.isDirect(.init(type: "d", usersCount: 3)))
        #expect(!RocketChatRoomTypes.isDirect(.init(type: "c", usersCount: 2)))
        #expect(!RocketChatRoomTypes.isDirect(.init(type: "p", usersCount: nil)))
        var cache = RocketChatRoomTypes(capacity: 2)
        cache.remember("A", .init(type: "d", usersCount: 2))
        cache.remember("B", .init(type: "c", usersCount: 9))
        #expect(cache.isDirect("A") == true && cache.isDirect("B") == false)
        cache.remember("C", .init(type: "d", usersCount: 2))
        #expect(cache.isDirect("A") == nil && cache.isDirect("C") == true, "bounded: a full cache starts over")
    }
}
