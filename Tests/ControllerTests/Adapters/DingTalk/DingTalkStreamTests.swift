import Foundation
import Testing
import StewardProtocol
@testable import StewardController

/// DingTalk Stream mode against a fake gateway: tickets from `connections/open`, pings answered, robot messages
/// acknowledged and answered through their session webhook once (also when redelivered after a reconnect), refused
/// credentials shown in health, malformed frames skipped with a logged reason.
@Suite("DingTalk Stream mode", .timeLimit(.minutes(1)))
struct DingTalkStreamTests {
    static func connection(_ base: String, secret: String = FakeDingTalkStream.clientSecret, logs: RecordedLogs = RecordedLogs()) -> DingTalkConnection {
        DingTalkConnection(
            settings: .init(name: "dingtalk", mode: .stream, appSecret: secret, clientID: FakeDingTalkStream.clientID, path: "/unused",
                            apiURL: base, gatewayURL: base),
            logger: logs.logger)
    }

    static let whoami = "you are dingtalk:manager4220 (Zhang San); roles: viewer"

    @Test func aMessageRunsOnceAndIsAnsweredThroughTheSessionWebhookAndPingsAreAnswered() async throws {
        let fake = FakeDingTalkStream()
        try await FakeDingTalkStream.withServer(fake) { base in
            await fake.load([[
                .send(FakeDingTalkStream.ping("ping-1")), .awaitAck("ping-1"),
                .send(FakeDingTalkStream.robotMessage("frame-1", msgID: "msgA1", webhook: base + "robot/sendBySession?session=abc")),
                .awaitAck("frame-1"),
            ]])
            let connection = Self.connection(base)
            try await SlackConnectionTests.running(connection, policy: DingTalkConnectionTests.policy) {
                try await eventually { await fake.replies.count == 1 }
                try await Task.sleep(for: .milliseconds(200))

                #expect(await fake.openRequests == [FakeDingTalkStream.OpenRequest(
                    clientID: FakeDingTalkStream.clientID, clientSecret: FakeDingTalkStream.clientSecret,
                    subscriptions: ["CALLBACK /v1.0/im/bot/messages/get"], ua: "steward/\(StewardVersion.current)")])
                #expect(await fake.ack("ping-1") == FakeDingTalkStream.Ack(
                    code: 200, messageID: "ping-1", contentType: "application/json", message: "OK", data: #"{"opaque":"5a6e0d3c-ping"}"#))
                #expect(await fake.ack("frame-1") == FakeDingTalkStream.Ack(
                    code: 200, messageID: "frame-1", contentType: "application/json", message: "OK", data: #"{"response":null}"#))
                #expect(await fake.acks.count == 2)
                let replies = await fake.replies
                #expect(replies.count == 1)
                #expect(replies.first?.session == "abc")
                #expect(replies.first?.msgtype == "markdown")
                #expect(replies.first?.text == Self.whoami)
                let health = await connection.health.snapshot
                #expect(health.isHealthy)
                #expect(health.lastEventAt != nil)
            }
        }
    }

    @Test func aMessageRedeliveredAfterADisconnectRunsOnce() async throws {
        let fake = FakeDingTalkStream()
        try await FakeDingTalkStream.withServer(fake) { base in
            let webhook = base + "robot/sendBySession?session=abc"
            await fake.load([
                [.send(FakeDingTalkStream.robotMessage("frame-1", msgID: "msgA1", webhook: webhook)), .awaitAck("frame-1"),
                 .send(FakeDingTalkStream.disconnect("sys-1"))],
                [.send(FakeDingTalkStream.robotMessage("frame-1b", msgID: "msgA1", webhook: webhook)), .awaitAck("frame-1b"),
                 .send(FakeDingTalkStream.robotMessage("frame-2", msgID: "msgA2", webhook: base + "robot/sendBySession?session=def", text: "help")),
                 .awaitAck("frame-2")],
            ])
            let connection = Self.connection(base)
            try await SlackConnectionTests.running(connection, policy: DingTalkConnectionTests.policy) {
                try await eventually {
                    let replies = await fake.replies.count
                    let acked = await fake.hasAck("frame-2")
                    return replies >= 2 && acked
                }
                try await Task.sleep(for: .milliseconds(300))
                #expect(await fake.opened == 2, "the disconnect opened a fresh ticket")
                #expect(await fake.sessions == 2)
                #expect(await fake.acks.compactMap(\.messageID) == ["frame-1", "frame-1b", "frame-2"], "the redelivery is acknowledged too")
                let replies = await fake.replies
                #expect(replies.count == 2, "msgA1 once although delivered twice, then msgA2")
                #expect(replies.map { $0.session ?? "" } == ["abc", "def"])
                #expect(replies.first?.text == Self.whoami)
                let health = await connection.health.snapshot
                #expect(health.connected)
                #expect(health.reconnects == 0, "a disconnect DingTalk asked for is not an outage")
            }
        }
    }

    @Test func aRefusedSecretIsUnhealthyWithDingTalksReasonAndNeverLogged() async throws {
        let fake = FakeDingTalkStream()
        let logs = RecordedLogs()
        try await FakeDingTalkStream.withServer(fake) { base in
            let connection = Self.connection(base, secret: "wrong-secret-value-42", logs: logs)
            try await SlackConnectionTests.running(connection, policy: DingTalkConnectionTests.policy) {
                try await eventually { await connection.health.snapshot.authFailure != nil }
                let health = await connection.health.snapshot
                #expect(!health.isHealthy)
                #expect(health.summary == "credentials refused: InvalidAuthentication: clientId or clientSecret is invalid")
                #expect(await fake.opened == 0)
                #expect(await fake.refused >= 1)
                #expect(await fake.sessions == 0)
            }
        }
        #expect(logs.entries.contains { $0.level == .error && $0.line.contains("InvalidAuthentication") })
        #expect(!logs.entries.contains { $0.line.contains("wrong-secret-value-42") }, "the secret is never logged")
    }

    @Test func malformedFramesAreSkippedWithALoggedReasonAndTheSessionGoesOn() async throws {
        let fake = FakeDingTalkStream()
        let logs = RecordedLogs()
        try await FakeDingTalkStream.withServer(fake) { base in
            await fake.load([[
                .send("not json at all"),
                .send(#"{"specVersion":"1.0","type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get"},"data":"{}"}"#),
                .send(FakeDingTalkStream.frame(type: "CALLBACK", topic: "/v1.0/im/bot/messages/get", messageID: "bad-data", data: "{not json")),
                .awaitAck("bad-data"),
                .send(FakeDingTalkStream.frame(type: "CALLBACK", topic: "/v1.0/card/instances/callback", messageID: "card-1", data: "{}")),
                .awaitAck("card-1"),
                .send(FakeDingTalkStream.robotMessage("frame-1", msgID: "msgA1", webhook: base + "robot/sendBySession?session=abc")),
                .awaitAck("frame-1"),
            ]])
            let connection = Self.connection(base, logs: logs)
            try await SlackConnectionTests.running(connection, policy: DingTalkConnectionTests.policy) {
                try await eventually { await fake.replies.count == 1 }
                try await Task.sleep(for: .milliseconds(200))
                #expect(await fake.replies.first?.text == Self.whoami, "the good message after the bad ones still runs")
                #expect(await fake.opened == 1, "bad frames do not cost the session")
                #expect(await fake.ack("bad-data")?.code == 400)
                #expect(await fake.ack("card-1")?.code == 404)
                #expect(await fake.ack("frame-1")?.code == 200)
                #expect(await fake.acks.count == 3)
            }
        }
        let skipped = logs.entries.filter { $0.level == .warning && $0.message.hasPrefix("ignored a") }.map { $0.metadata["reason"] ?? "" }
        #expect(skipped == [
            "not a Stream frame (JSON with type, headers and data)",
            "a CALLBACK frame without a usable headers.messageId",
            "a robot message whose data is not the documented JSON",
            "a callback for topic '/v1.0/card/instances/callback', which was not subscribed",
        ])
    }

    @Test func aForeignSessionWebhookGetsNoReply() async throws {
        let fake = FakeDingTalkStream()
        try await FakeDingTalkStream.withServer(fake) { base in
            await fake.load([[
                .send(FakeDingTalkStream.robotMessage("frame-1", msgID: "msgA1", webhook: "http://127.0.0.1:9/steal")), .awaitAck("frame-1"),
            ]])
            let connection = Self.connection(base)
            try await SlackConnectionTests.running(connection, policy: DingTalkConnectionTests.policy) {
                try await eventually { await fake.hasAck("frame-1") }
                try await Task.sleep(for: .milliseconds(300))
                #expect(await fake.replies.isEmpty)
            }
        }
    }
}
