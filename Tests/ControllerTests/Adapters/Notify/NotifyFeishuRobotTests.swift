import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Testing
@testable import StewardController

/// `platform: notify, format: feishu`: a Feishu/Lark custom bot, `timestamp` and `sign` in the JSON body, a text
/// message; a refused signature (code 19021) counted as a failed call with Feishu's words.
@Suite("Notifications to a Feishu custom bot", .timeLimit(.minutes(1)))
struct NotifyFeishuRobotTests {
    static let secret = "feishu-bot-secret"

    /// A custom bot webhook that checks the signature as Feishu documents it: the timestamp within an hour of
    /// its clock, `sign` = Base64(HMAC-SHA256(key: "timestamp\nsecret", empty message)).
    static func withBot(_ body: @Sendable (NIOLockedValueBox<[[String: String]]>, String) async throws -> Void) async throws {
        let received = NIOLockedValueBox<[[String: String]]>([])
        let router = Router()
        router.post("open-apis/bot/v2/hook/:token") { request, context -> Response in
            guard try context.parameters.require("token") == "0123-abcd" else {
                return FakeFeishu.json(#"{"code":19001,"msg":"param invalid: incoming webhook access token invalid"}"#)
            }
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
            let timestamp = (object["timestamp"] as? String).flatMap { Int64($0) }
            let fresh = timestamp.map { abs(Int64(Date().timeIntervalSince1970) - $0) <= 3600 } ?? false
            let signed = fresh && object["sign"] as? String == FeishuWebhookSigner.sign(timestamp: timestamp ?? 0, secret: secret)
            guard signed else {
                return FakeFeishu.json(#"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"#)
            }
            received.withLockedValue {
                $0.append(["msg_type": object["msg_type"] as? String ?? "",
                           "text": ((object["content"] as? [String: Any])?["text"] as? String) ?? ""])
            }
            return FakeFeishu.json(#"{"code":0,"msg":"success","data":{}}"#)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: FeishuConnectionTests.quiet)
        try await app.test(.live) { client in
            try await body(received, "http://127.0.0.1:\(client.port ?? 0)/open-apis/bot/v2/hook/0123-abcd")
        }
    }

    static func connection(_ harness: DispatcherHarness, url: String, secret: String?) -> NotifyConnection {
        NotifyConnection(
            settings: .init(name: "ops-feishu", url: url, events: Set(ControllerEvent.kinds), offlineAfter: .seconds(60), consoleURL: nil,
                            format: .feishu, secret: secret),
            parts: ControllerParts(events: harness.dispatcher.events, database: harness.database, registry: harness.registry),
            logger: SlackEventsEndpointTests.quiet, retryDelay: .milliseconds(10), deliveryTimeout: .seconds(2))
    }

    @Test func anApprovalRequestReachesTheBotSignedAsText() async throws {
        let harness = try await DispatcherHarness(agents: [])
        try await Self.withBot { received, url in
            let connection = Self.connection(harness, url: url, secret: Self.secret)
            try await SlackConnectionTests.running(connection) {
                harness.dispatcher.events.emit(.approvalRequested(
                    ticket: "T1234567", summary: "`reboot` on web-01", requester: "alice", approverRoles: ["approver"]))
                try await eventually { received.withLockedValue { !$0.isEmpty } }
                #expect(received.withLockedValue { $0 } == [[
                    "msg_type": "text",
                    "text": "✋ alice asks to run `reboot` on web-01; someone with role approver can reply `approve T1234567` or `deny T1234567`",
                ]])
                try await eventually { await connection.health.snapshot.lastSuccessfulCallAt != nil }
                #expect(await connection.health.snapshot.lastError == nil)
            }
        }
    }

    @Test func aWrongSecretIsRefusedThreeTimesAndShownWithFeishusReason() async throws {
        let harness = try await DispatcherHarness(agents: [])
        try await Self.withBot { received, url in
            let connection = Self.connection(harness, url: url, secret: "not-the-secret")
            try await SlackConnectionTests.running(connection) {
                harness.dispatcher.events.emit(.approvalRequested(ticket: "T1", summary: "x", requester: "a", approverRoles: ["b"]))
                try await eventually { await connection.health.snapshot.lastError?.contains("code 19021") == true }
                #expect(received.withLockedValue { $0.isEmpty })
                #expect(await connection.health.snapshot.lastSuccessfulCallAt == nil)
                #expect(await connection.health.snapshot.lastError?.contains("0123-abcd") == false, "the URL's token is never shown")
            }
        }
    }

    @Test func settingsTakeFormatFeishuWithASecretAndRefuseUnknownFormats() throws {
        let settings = try NotifyConnection.settings(NotifyDingTalkRobotTests.entry(
            "- platform: notify\n  format: feishu\n  url_env: BOT\n  secret_env: SEC",
            ["BOT": "https://open.feishu.cn/open-apis/bot/v2/hook/x", "SEC": "s"]))
        #expect(settings.format == .feishu)
        #expect(settings.secret == "s")
        let unknown = try NotifyDingTalkRobotTests.entry("- platform: notify\n  format: wecom\n  url_env: BOT", ["BOT": "https://x.example/h"])
        #expect {
            _ = try NotifyConnection.settings(unknown)
        } throws: { error in
            (error as? ChatSettingsError)?.reason.contains("not one of: text, dingtalk, feishu") == true
        }
    }
}
