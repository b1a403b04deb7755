import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import StewardController

/// The sending side: `chat.postMessage` in a thread, `chat.update` for edits, one retry on HTTP 429 (Rocket.Chat's
/// `X-RateLimit-Reset` is epoch milliseconds), long replies cut at the message limit, and no mass mentions.
@Suite("Rocket.Chat replies", .timeLimit(.minutes(1)))
struct RocketChatAdapterTests {
    typealias Fake = FakeRocketChat

    /// A client whose waits are recorded, not slept.
    static func client(_ url: String, http: HTTPClient, waits: NIOLockedValueBox<[Duration]>, token: String = Fake.token) -> RocketChatClient {
        RocketChatClient(
            configuration: .init(serverURL: url + "/", userID: Fake.botID, token: token), http: http,
            sleep: { duration in waits.withLockedValue { $0.append(duration) } })
    }

    @Test func repliesArePostedInTheThreadAndEditedWithChatUpdate() async throws {
        let fake = Fake()
        try await Fake.withServer(fake) { url, http in
            let adapter = RocketChatAdapter(client: Self.client(url, http: http, waits: NIOLockedValueBox([])))
            let posted = try await adapter.post(.text("running…"), room: Fake.general, thread: "cmdAAAAAAAAAAAAA1")
            #expect(posted == PostedMessage(room: Fake.general, thread: "cmdAAAAAAAAAAAAA1", messageID: "reply1AAAAAAAAAA"))
            try await adapter.edit(posted, with: ChatReply([.text("done"), .code("web-01 ok")]))
            #expect(await fake.posts == [.init(roomID: Fake.general, text: "running…", threadID: "cmdAAAAAAAAAAAAA1")])
            #expect(await fake.updates == [.init(roomID: Fake.general, messageID: "reply1AAAAAAAAAA", text: "done\n```\nweb-01 ok\n```")])
            #expect(adapter.capabilities == ChatCapabilities(supportsEdits: true, supportsThreads: true, maxMessageLength: 5000))
        }
    }

    @Test func aRateLimitedPostIsRetriedOnceAfterTheResetTime() async throws {
        let fake = Fake(rateLimitedPosts: 1)
        try await Fake.withServer(fake) { url, http in
            let waits = NIOLockedValueBox<[Duration]>([])
            let id = try await Self.client(url, http: http, waits: waits).postMessage(roomID: Fake.general, text: "hi", threadID: nil)
            #expect(id == "reply1AAAAAAAAAA")
            #expect(await fake.rateLimitAnswers == 1)
            #expect(await fake.posts.count == 1)
            let waited = try #require(waits.withLockedValue { $0 }.first)
            #expect(waits.withLockedValue { $0 }.count == 1)
            #expect(waited > .milliseconds(500) && waited <= .seconds(2), "waited until X-RateLimit-Reset (epoch ms), not 1.7e12 seconds")
        }
    }

    @Test func aSecondRateLimitFailsWithoutAThirdTry() async throws {
        let fake = Fake(rateLimitedPosts: 5)
        try await Fake.withServer(fake) { url, http in
            let waits = NIOLockedValueBox<[Duration]>([])
            await #expect(throws: RocketChatError.self) {
                _ = try await Self.client(url, http: http, waits: waits).postMessage(roomID: Fake.general, text: "hi", threadID: nil)
            }
            #expect(await fake.rateLimitAnswers == 2)
            #expect(await fake.posts.isEmpty)
        }
    }

    @Test func aRefusedTokenMarksHealthWithTheServersWords() async throws {
        let fake = Fake()
        try await Fake.withServer(fake) { url, http in
            let health = ChatHealthMonitor(name: "rc", platform: "rocketchat")
            let client = RocketChatClient(configuration: .init(serverURL: url, userID: Fake.botID, token: "wrong"), http: http, health: health)
            do {
                _ = try await client.postMessage(roomID: Fake.general, text: "hi", threadID: nil)
                Issue.record("a refused token must throw")
            } catch {
                #expect((error as? RocketChatError)?.code == .unauthorized)
            }
            #expect(await health.snapshot.summary == "credentials refused: You must be logged in to do this.")
            await #expect(throws: RocketChatError.self) { _ = try await client.roomInfo(roomID: "NOSUCHROOM") }
        }
    }

    /// (Retry-After, X-RateLimit-Reset, expected wait) at now = 1,700,000,000 s.
    static let waits: [(String?, String?, Duration?)] = [
        ("3", nil, .seconds(3)),
        ("2", "1700000009000", .seconds(2)),
        (nil, "1700000001500", .milliseconds(1500)),
        (nil, "1699999999000", .zero),
        (nil, "1700000004", .seconds(4)),
        (nil, "7", .seconds(7)),
        (nil, "soon", nil),
        (nil, nil, nil),
    ]

    @Test(arguments: waits)
    func rateLimitWaitsAreReadAsRocketChatSendsThem(_ retryAfter: String?, _ reset: String?, _ expected: Duration?) {
        #expect(RocketChatRateLimit.wait(retryAfter: retryAfter, rateLimitReset: reset, now: Date(timeIntervalSince1970: 1_700_000_000)) == expected)
    }

    @Test func longRepliesAreCutAtTheLimitWithTheFenceClosedAndSaySo() {
        let output = String(repeating: "line of output 🚀\n", count: 600)
        let text = RocketChatRendering.text(ChatReply([.text("job 42"), .code(output)]), limit: 5000)
        #expect(text.utf16.count <= 5000, "Rocket.Chat counts UTF-16 units: \(text.utf16.count)")
        #expect(text.utf16.count > 4900)
        #expect(text.hasSuffix("```\n… (cut at Rocket.Chat's message size limit)"))
        #expect(text.components(separatedBy: "```").count == 3, "the code fence is closed")
        let short = RocketChatRendering.text(.text("ok"), limit: 5000)
        #expect(short == "ok")
    }

    @Test func massMentionsNeverNotifyTheRoom() {
        let text = RocketChatRendering.text(ChatReply([.text("unknown command '@all' or @HERE"), .code("echo @here")]))
        #expect(!text.contains("@all") && !text.lowercased().contains("@here"))
        #expect(text.replacingOccurrences(of: "\u{200B}", with: "") == "unknown command '@all' or @HERE\n```\necho @here\n```")
        #expect(RocketChatRendering.text(.text("mail ops@allianz.example")) .contains("@\u{200B}allianz"), "a plain prefix match is harmless")
    }

    @Test func recentIDsForgetTheOldestFirst() {
        var recent = RocketChatRecentIDs(capacity: 3)
        let inserted = ["a", "b", "c", "b", "d"].map { recent.insert($0) }
        #expect(inserted == [true, true, true, false, true])
        #expect(recent.count == 3)
        #expect(!recent.contains("a") && recent.contains("b") && recent.contains("d"))
        for index in 0..<1000 { recent.insert("x\(index)") }
        #expect(recent.count == 3)
    }

    @Test func webSocketURLFollowsTheServerScheme() {
        let secure = RocketChatClient(configuration: .init(serverURL: "https://chat.example.com/", userID: "u", token: "t"))
        #expect(secure.webSocketURL == "wss://chat.example.com/websocket")
        let prefixed = RocketChatClient(configuration: .init(serverURL: "http://127.0.0.1:3000/chat", userID: "u", token: "t"))
        #expect(prefixed.webSocketURL == "ws://127.0.0.1:3000/chat/websocket")
        let shouting = RocketChatClient(configuration: .init(serverURL: "HTTPS://chat.example.com", userID: "u", token: "t"))
        #expect(shouting.webSocketURL == "wss://chat.example.com/websocket")
    }
}
