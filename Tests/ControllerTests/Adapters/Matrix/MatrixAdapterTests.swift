import Foundation
import Testing
@testable import StewardController

@Suite("Matrix adapter against a fake homeserver", .timeLimit(.minutes(1)))
struct MatrixAdapterTests {
    static func adapter(_ url: String, token: String = FakeMatrixHomeserver.token, sleeps: RecordedSleeps = RecordedSleeps(),
                        health: ChatHealthMonitor? = nil, maxRetryWait: Duration = .seconds(30)) -> MatrixAdapter {
        MatrixAdapter(
            client: MatrixClient(
                configuration: .init(homeserver: url, accessToken: token, maxRetryWait: maxRetryWait), health: health,
                sleep: { await sleeps.sleep($0) }),
            transactions: MatrixTransactionIDs(session: "feed"))
    }

    @Test func postSendsANoticeAndEditReplacesIt() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            let adapter = Self.adapter(url)
            let posted = try await adapter.post(ChatReply([.text("metrics on 1 host"), .code("running")]), room: "!abc", thread: "$root")
            #expect(posted == PostedMessage(room: "!abc", thread: "$root", messageID: "$event1"))
            try await adapter.edit(posted, with: .text("1 succeeded"))

            let sends = await fake.sends
            #expect(sends.map(\.path) == [
                "/_matrix/client/v3/rooms/%21abc/send/m.room.message/stw.feed.1",
                "/_matrix/client/v3/rooms/%21abc/send/m.room.message/stw.feed.2",
            ])
            #expect(sends.allSatisfy { $0.authorization == "Bearer \(FakeMatrixHomeserver.token)" })
            #expect((sends[0].body["m.relates_to"] as? [String: Any])?["rel_type"] as? String == "m.thread")
            let edit = sends[1].body
            #expect((edit["m.relates_to"] as? [String: Any])?["event_id"] as? String == "$event1")
            #expect((edit["m.new_content"] as? [String: Any])?["body"] as? String == "1 succeeded")
        }
    }

    @Test func aRoomWithAServerPartIsEncodedInThePath() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            _ = try await Self.adapter(url).post(.text("hi"), room: "!abc:example.org", thread: nil)
            #expect(await fake.sends.first?.path == "/_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/stw.feed.1")
        }
    }

    @Test func aRateLimitIsWaitedOutAndTheRetryReusesTheTransactionID() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            await fake.rateLimitSends(times: 2, retryAfterMs: 1500)
            let sleeps = RecordedSleeps()
            let posted = try await Self.adapter(url, sleeps: sleeps).post(.text("hi"), room: "!abc", thread: nil)
            #expect(posted.messageID == "$event1")
            #expect(await sleeps.waits == [.milliseconds(1500), .milliseconds(1500)])
            let paths = await fake.sends.map(\.path)
            #expect(paths.count == 3 && Set(paths).count == 1, "one logical message, one transaction id: \(paths)")
        }
    }

    @Test func aRetryAfterBeyondTheBoundIsNotWaited() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            await fake.rateLimitSends(times: 1, retryAfterMs: 3_600_000)
            let sleeps = RecordedSleeps()
            let error = await #expect(throws: MatrixError.self) {
                try await Self.adapter(url, sleeps: sleeps).post(.text("hi"), room: "!abc", thread: nil)
            }
            #expect(error?.code == .rateLimited)
            #expect(error?.errcode == "M_LIMIT_EXCEEDED")
            #expect(error?.retryAfter == .seconds(3600))
            #expect(await sleeps.waits.isEmpty)
        }
    }

    @Test func aRefusedTokenMarksTheConnectionUnhealthyWithTheErrcode() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            let health = ChatHealthMonitor(name: "matrix", platform: "matrix", connected: true)
            let error = await #expect(throws: MatrixError.self) {
                try await Self.adapter(url, token: "syt_revoked", health: health).post(.text("hi"), room: "!abc", thread: nil)
            }
            #expect(error?.code == .authFailed)
            #expect(error?.description.contains("syt_revoked") == false, "never the token in errors")
            let snapshot = await health.snapshot
            #expect(snapshot.authFailure == "M_UNKNOWN_TOKEN")
            #expect(!snapshot.isHealthy)
            #expect(await fake.sends.count == 1, "an auth failure is not retried per call")
        }
    }

    @Test func theSameTransactionIDSendsOnlyOnce() async throws {
        try await FakeMatrixHomeserver.withServer { fake, url in
            let client = Self.adapter(url).client
            let content = MatrixRendering.message(.text("hi"), thread: nil, limit: 100)
            let first = try await client.send(content, room: "!abc", transactionID: "stw.x.1")
            let again = try await client.send(content, room: "!abc", transactionID: "stw.x.1")
            #expect(first == again)
        }
    }
}
