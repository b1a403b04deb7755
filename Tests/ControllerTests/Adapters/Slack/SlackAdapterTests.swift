import Foundation
import Testing
@testable import StewardController

@Suite("Slack adapter against a fake Web API", .timeLimit(.minutes(1)))
struct SlackAdapterTests {
    static func adapter(_ baseURL: String, token: String = FakeSlackWebAPI.token, sleeps: RecordedSleeps = RecordedSleeps(),
                        health: ChatHealthMonitor? = nil, maxRetryWait: Duration = .seconds(30)) -> SlackAdapter {
        SlackAdapter(client: SlackWebClient(
            configuration: .init(baseURL: baseURL, botToken: token, maxRetryWait: maxRetryWait), health: health,
            sleep: { await sleeps.sleep($0) }))
    }

    @Test func postRepliesInTheThreadAndEditsWithUpdate() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            let adapter = Self.adapter(url)
            let posted = try await adapter.post(
                ChatReply([.text("ping on 2 hosts"), .code("web-01 ok\nweb-02 ok")]), room: "C123ABC456", thread: "1515449522.000016")
            #expect(posted == PostedMessage(room: "C123ABC456", thread: "1515449522.000016", messageID: "1700000001.000100"))
            try await adapter.edit(posted, with: .text("done: 2 ok"))

            let calls = await fake.calls
            #expect(calls.map(\.method) == ["chat.postMessage", "chat.update"])
            #expect(calls.allSatisfy { $0.authorization == "Bearer xoxb-test-token" })
            #expect(calls.allSatisfy { $0.contentType == "application/json; charset=utf-8" })
            #expect(calls[0].body["channel"] == "C123ABC456")
            #expect(calls[0].body["thread_ts"] == "1515449522.000016")
            #expect(calls[0].body["text"] == "ping on 2 hosts\n```\nweb-01 ok\nweb-02 ok\n```")
            #expect(calls[1].body == ["channel": "C123ABC456", "ts": "1700000001.000100", "text": "done: 2 ok"])
        }
    }

    @Test func aTopLevelPostHasNoThread() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            _ = try await Self.adapter(url).post(.text("hello"), room: "C1", thread: nil)
            #expect(await fake.calls.first?.body["thread_ts"] == nil)
        }
    }

    @Test func aRateLimitIsWaitedOutOnceThenRetried() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            await fake.rateLimit(times: 1, retryAfter: "7")
            let sleeps = RecordedSleeps()
            let posted = try await Self.adapter(url, sleeps: sleeps).post(.text("hi"), room: "C1", thread: nil)
            #expect(posted.messageID == "1700000001.000100")
            #expect(await sleeps.waits == [.seconds(7)])
            #expect(await fake.calls.count == 2)
        }
    }

    @Test func aSecondRateLimitFailsWithRetryAfter() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            await fake.rateLimit(times: 2, retryAfter: "3")
            let sleeps = RecordedSleeps()
            let error = await #expect(throws: SlackError.self) {
                try await Self.adapter(url, sleeps: sleeps).post(.text("hi"), room: "C1", thread: nil)
            }
            #expect(error?.code == .rateLimited)
            #expect(error?.retryAfterSeconds == 3)
            #expect(await sleeps.waits == [.seconds(3)], "one bounded retry, not a loop")
            #expect(await fake.calls.count == 2)
        }
    }

    @Test func aRetryAfterBeyondTheBoundIsNotWaited() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            await fake.rateLimit(times: 1, retryAfter: "3600")
            let sleeps = RecordedSleeps()
            let error = await #expect(throws: SlackError.self) {
                try await Self.adapter(url, sleeps: sleeps, maxRetryWait: .seconds(30)).post(.text("hi"), room: "C1", thread: nil)
            }
            #expect(error?.code == .rateLimited)
            #expect(await sleeps.waits.isEmpty)
            #expect(await fake.calls.count == 1)
        }
    }

    @Test func slacksErrorFieldIsSurfaced() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            await fake.fail(with: "channel_not_found")
            let health = ChatHealthMonitor(name: "slack", platform: "slack", connected: true)
            let error = await #expect(throws: SlackError.self) {
                try await Self.adapter(url, health: health).post(.text("hi"), room: "C404", thread: nil)
            }
            #expect(error?.code == .apiError)
            #expect(error?.slackError == "channel_not_found")
            #expect(await health.snapshot.isHealthy, "a wrong channel is not a broken token")
            #expect(await health.snapshot.lastError?.contains("channel_not_found") == true)
        }
    }

    @Test func aRejectedTokenMakesTheAdapterUnhealthyUntilACallSucceeds() async throws {
        try await FakeSlackWebAPI.withServer { _, url in
            let health = ChatHealthMonitor(name: "slack", platform: "slack", connected: true)
            let error = await #expect(throws: SlackError.self) {
                try await Self.adapter(url, token: "xoxb-revoked", health: health).post(.text("hi"), room: "C1", thread: nil)
            }
            #expect(error?.code == .authFailed)
            #expect(error?.slackError == "invalid_auth")
            var snapshot = await health.snapshot
            #expect(!snapshot.isHealthy)
            #expect(snapshot.authFailure == "invalid_auth")

            _ = try await Self.adapter(url, health: health).post(.text("hi"), room: "C1", thread: nil)
            snapshot = await health.snapshot
            #expect(snapshot.isHealthy)
            #expect(snapshot.lastSuccessfulCallAt != nil)
        }
    }

    @Test func anUnreachableSlackIsATransportError() async throws {
        // Port 9 (discard) on loopback: nothing listens in the test environment.
        let adapter = SlackAdapter(client: SlackWebClient(
            configuration: .init(baseURL: "http://127.0.0.1:9/api", botToken: FakeSlackWebAPI.token, timeout: .milliseconds(500))))
        let error = await #expect(throws: SlackError.self) {
            try await adapter.post(.text("hi"), room: "C1", thread: nil)
        }
        #expect(error?.code == .transport)
    }

    @Test func mrkdwnEscapesMarkupAndFencesCode() {
        let text = SlackAdapter.mrkdwn(ChatReply([.text("a <b> & c"), .code("x ``` <@U1>")]))
        #expect(text == "a &lt;b&gt; &amp; c\n```\nx ʼʼʼ &lt;@U1&gt;\n```")
    }

    @Test func longRepliesAreCutAtTheLimitWithTheFenceClosed() {
        let text = SlackAdapter.mrkdwn(ChatReply([.text("head"), .code(String(repeating: "line\n", count: 20_000))]))
        #expect(text.count <= SlackAdapter.maxMessageLength)
        #expect(text.hasSuffix("\n```\n… (truncated)"))
        #expect(text.components(separatedBy: "```").count % 2 == 1, "fences are balanced")
        let short = SlackAdapter.mrkdwn(.text(String(repeating: "a", count: 40_000)))
        #expect(short.count == 40_000, "exactly at the limit is not cut")
    }

    @Test func capabilitiesMatchSlack() {
        let capabilities = Self.adapter("http://127.0.0.1:1/").capabilities
        // Replies reach the adapter whole up to the upload limit; beyond 40,000 characters they go up as a file.
        #expect(capabilities == ChatCapabilities(supportsEdits: true, supportsThreads: true, maxMessageLength: 1_000_000))
    }
}
