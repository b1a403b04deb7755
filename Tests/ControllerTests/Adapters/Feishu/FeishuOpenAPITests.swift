import Foundation
import Testing
@testable import StewardController

/// The open API client against the fake: the tenant token (cached, refreshed on expiry and on 99991663),
/// rate limits waited out once, Feishu's `code`/`msg` surfaced, refused credentials shown in health.
@Suite("Feishu open API client", .timeLimit(.minutes(1)))
struct FeishuOpenAPITests {
    static func client(
        _ url: String, secret: String = FakeFeishu.appSecret, health: ChatHealthMonitor? = nil, clock: ManualClock = ManualClock(Date()),
        sleeps: RecordedSleeps = RecordedSleeps()
    ) -> FeishuOpenAPI {
        FeishuOpenAPI(
            configuration: .init(baseURL: url + "/", appID: FakeFeishu.appID, appSecret: secret), health: health,
            now: { clock.now }, sleep: { await sleeps.sleep($0) })
    }

    @Test func theTenantTokenIsFetchedOnceAndSentAsBearer() async throws {
        try await FakeFeishu.withServer { fake, url in
            let client = Self.client(url)
            #expect(try await client.botOpenID() == FakeFeishu.botOpenID)
            let id = try await client.reply(to: "om_asker1", text: "pong")
            try await client.update(messageID: id, text: "pong, edited")
            #expect(await fake.tokenRequests == 1)
            let calls = await fake.calls
            #expect(calls.map(\.path) == [
                "/open-apis/auth/v3/tenant_access_token/internal", "/open-apis/bot/v3/info", "/open-apis/im/v1/messages/om_asker1/reply",
                "/open-apis/im/v1/messages/\(id)",
            ])
            #expect(calls.dropFirst().allSatisfy { $0.authorization == "Bearer t-fake-1" })
            #expect(calls[2].body["msg_type"] == "text")
            #expect(calls[2].body["content"] == #"{"text":"pong"}"#)
            #expect(calls[2].body["uuid"]?.isEmpty == false, "a uuid makes a retried send idempotent")
            #expect(await fake.messages[id] == "pong, edited")
        }
    }

    @Test func concurrentFirstCallsShareOneTokenFetch() async throws {
        try await FakeFeishu.withServer { fake, url in
            let client = Self.client(url)
            try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<8 {
                    group.addTask { try await client.send(chatID: "oc_1", text: "message \(index)") }
                }
                try await group.waitForAll()
            }
            #expect(await fake.tokenRequests == 1)
            #expect(await fake.sends.count == 8)
            #expect(await fake.sends.allSatisfy { $0.authorization == "Bearer t-fake-1" })
        }
    }

    @Test func anExpiredTokenIsRefreshedBeforeTheCall() async throws {
        try await FakeFeishu.withServer { fake, url in
            let clock = ManualClock(Date())
            let client = Self.client(url, clock: clock)
            _ = try await client.botOpenID()
            clock.advance(seconds: 7200 - 301)
            _ = try await client.botOpenID()
            #expect(await fake.tokenRequests == 1, "still cached")
            clock.advance(seconds: 2)
            _ = try await client.botOpenID()
            #expect(await fake.tokenRequests == 2, "refreshed five minutes before Feishu's expiry")
            #expect(await fake.calls.last?.authorization == "Bearer t-fake-2")
        }
    }

    @Test func aTokenFeishuCallsInvalidIsRefreshedOnceAndTheCallRetried() async throws {
        try await FakeFeishu.withServer { fake, url in
            let health = ChatHealthMonitor(name: "feishu", platform: "feishu")
            let client = Self.client(url, health: health)
            _ = try await client.botOpenID()
            await fake.revokeTokens()
            let id = try await client.send(chatID: "oc_1", text: "still here")
            #expect(await fake.tokenRequests == 2)
            let sends = await fake.sends
            #expect(sends.map(\.authorization) == ["Bearer t-fake-1", "Bearer t-fake-2"])
            #expect(sends.last?.query == "receive_id_type=chat_id")
            #expect(sends.last?.body["receive_id"] == "oc_1")
            #expect(await fake.messages[id] == "still here")
            #expect(await health.snapshot.authFailure == nil)
        }
    }

    @Test func aRateLimitIsWaitedOutOnce() async throws {
        try await FakeFeishu.withServer { fake, url in
            let sleeps = RecordedSleeps()
            let client = Self.client(url, sleeps: sleeps)
            _ = try await client.botOpenID()
            await fake.rateLimit(times: 1)
            _ = try await client.reply(to: "om_asker1", text: "after the limit")
            #expect(await sleeps.waits == [.seconds(1)])
            #expect(await fake.replies.count == 2)
            #expect(Set(await fake.replies.compactMap { $0.body["uuid"] }).count == 1, "the retry is the same send")

            await fake.rateLimit(times: 2)
            await #expect(throws: FeishuError(.rateLimited, "/open-apis/bot/v3/info is rate limited", feishuCode: 99_991_400)) {
                try await client.botOpenID()
            }
            #expect(await sleeps.waits == [.seconds(1), .seconds(1)])
        }
    }

    @Test func aNonZeroCodeIsAnErrorWithFeishusMessage() async throws {
        try await FakeFeishu.withServer { _, url in
            let health = ChatHealthMonitor(name: "feishu", platform: "feishu")
            let client = Self.client(url, health: health)
            do {
                try await client.update(messageID: "om_unknown", text: "x")
                Issue.record("an edit of an unknown message succeeded")
            } catch let error as FeishuError {
                #expect(error.code == .apiError)
                #expect(error.feishuCode == 230_001)
                #expect(error.message == "/open-apis/im/v1/messages/om_unknown failed: message not found (code 230001)")
            }
            #expect(await health.snapshot.lastError == "feishu apiError: /open-apis/im/v1/messages/om_unknown failed: message not found (code 230001)")
            #expect(await health.snapshot.authFailure == nil)
            await #expect(throws: FeishuError.self) { try await client.reply(to: "om/../x", text: "x") }
        }
    }

    @Test func aRefusedSecretMarksTheConnectionUnhealthyWithFeishusReason() async throws {
        try await FakeFeishu.withServer { fake, url in
            let health = ChatHealthMonitor(name: "feishu", platform: "feishu")
            let client = Self.client(url, secret: "wrong", health: health)
            await #expect(throws: FeishuError(.authFailed, "app secret invalid", feishuCode: 10014)) { try await client.botOpenID() }
            let snapshot = await health.snapshot
            #expect(snapshot.authFailure == "app secret invalid")
            #expect(snapshot.summary == "credentials refused: app secret invalid")
            #expect(await fake.calls.count == 1, "nothing is called without a token")
        }
    }
}
