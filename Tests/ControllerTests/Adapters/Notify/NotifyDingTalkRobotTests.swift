import Foundation
import Logging
import Testing
import Yams
@testable import StewardController

/// `platform: notify, format: dingtalk`: a DingTalk custom robot, signed with its SEC secret, markdown messages,
/// a non-zero errcode counted as a failed call.
@Suite("Notifications to a DingTalk custom robot", .timeLimit(.minutes(1)))
struct NotifyDingTalkRobotTests {
    // Computed independently of our code:
    // printf '1700000000000\nSECtest-robot-secret' | openssl dgst -sha256 -hmac SECtest-robot-secret -binary | base64
    // python3 -c 'import urllib.parse; print(urllib.parse.quote_plus("iwJQQ/b/sD+09Gr13WuMyiv/StyEhAsuuEz4vT3uZvk="))'
    static let opensslSign = "iwJQQ/b/sD+09Gr13WuMyiv/StyEhAsuuEz4vT3uZvk="
    static let urlEncodedSign = "iwJQQ%2Fb%2FsD%2B09Gr13WuMyiv%2FStyEhAsuuEz4vT3uZvk%3D"

    static func connection(_ harness: DispatcherHarness, url: String, secret: String? = FakeDingTalkRobot.secret) -> NotifyConnection {
        NotifyConnection(
            settings: .init(name: "ops-dingtalk", url: url, events: Set(ControllerEvent.kinds), offlineAfter: .seconds(60), consoleURL: nil,
                            format: .dingtalk, secret: secret),
            parts: ControllerParts(events: harness.dispatcher.events, database: harness.database, registry: harness.registry),
            logger: SlackEventsEndpointTests.quiet, retryDelay: .milliseconds(10), deliveryTimeout: .seconds(2))
    }

    @Test func theSignedURLMatchesAnIndependentlyComputedVector() {
        #expect(DingTalkSignature.sign(timestampMs: "1700000000000", secret: FakeDingTalkRobot.secret) == Self.opensslSign)
        let client = DingTalkRobotClient(
            url: "https://oapi.dingtalk.com/robot/send?access_token=abc", secret: FakeDingTalkRobot.secret,
            now: { Date(timeIntervalSince1970: 1_700_000_000) })
        #expect(client.signedURL(at: Date(timeIntervalSince1970: 1_700_000_000)) ==
            "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=\(Self.urlEncodedSign)")
        let unsigned = DingTalkRobotClient(url: "https://oapi.dingtalk.com/robot/send?access_token=abc", secret: nil)
        #expect(unsigned.signedURL(at: Date()) == "https://oapi.dingtalk.com/robot/send?access_token=abc")
    }

    @Test func anApprovalRequestReachesTheRobotSignedAsMarkdown() async throws {
        let harness = try await DispatcherHarness(agents: [])
        try await FakeDingTalkRobot.withServer { robot, url in
            let connection = Self.connection(harness, url: url)
            try await SlackConnectionTests.running(connection) {
                harness.dispatcher.events.emit(.approvalRequested(
                    ticket: "T1234567", summary: "`reboot` on web-01", requester: "alice", approverRoles: ["approver"]))
                try await eventually { await !robot.messages.isEmpty }
                #expect(await robot.messages == [FakeDingTalkRobot.Message(
                    msgtype: "markdown", title: "Steward: approval requested",
                    text: "✋ alice asks to run `reboot` on web-01; someone with role approver can reply `approve T1234567` or `deny T1234567`")])
                #expect(await robot.refusedSigns == 0)
                try await eventually { await connection.health.snapshot.lastSuccessfulCallAt != nil }
                let health = await connection.health.snapshot
                #expect(health.lastSuccessfulCallAt != nil)
                #expect(health.lastError == nil)
            }
        }
    }

    @Test func aNonZeroErrcodeIsAFailedCallWithItsErrmsg() async throws {
        let harness = try await DispatcherHarness(agents: [])
        try await FakeDingTalkRobot.withServer { robot, url in
            await robot.fail(errcode: 660026, errmsg: "send too fast, exceed 20 times per minute")
            let connection = Self.connection(harness, url: url)
            try await SlackConnectionTests.running(connection) {
                harness.dispatcher.events.emit(.approvalRequested(ticket: "T1", summary: "x", requester: "a", approverRoles: ["b"]))
                try await eventually { await robot.messages.count == 3 }
                try await Task.sleep(for: .milliseconds(100))
                #expect(await robot.messages.count == 3, "three attempts, then given up")
                let health = await connection.health.snapshot
                #expect(health.lastError == "the DingTalk robot refused the message (errcode 660026: send too fast, exceed 20 times per minute)")
                #expect(health.lastSuccessfulCallAt == nil)
            }
        }
    }

    @Test func aWrongSecretIsRefusedByTheRobotAndReported() async throws {
        let harness = try await DispatcherHarness(agents: [])
        try await FakeDingTalkRobot.withServer { robot, url in
            let connection = Self.connection(harness, url: url, secret: "SECwrong")
            try await SlackConnectionTests.running(connection) {
                harness.dispatcher.events.emit(.approvalRequested(ticket: "T1", summary: "x", requester: "a", approverRoles: ["b"]))
                try await eventually { await robot.refusedSigns == 3 }
                #expect(await robot.messages.isEmpty)
                try await eventually { await connection.health.snapshot.lastError?.contains("errcode 310000") == true }
            }
        }
    }

    static func entry(_ yaml: String, _ environment: [String: String]) throws -> ChatConnectionSettings {
        let node = try #require(try Yams.compose(yaml: yaml))
        return try #require(try ChatConnectionSettings.parseList(node, path: "controller.yaml", environment: environment).first)
    }

    @Test func settingsReadFormatAndSecret() throws {
        let settings = try NotifyConnection.settings(Self.entry(
            "- platform: notify\n  format: dingtalk\n  url_env: ROBOT\n  secret_env: SEC",
            ["ROBOT": "https://oapi.dingtalk.com/robot/send?access_token=x", "SEC": "SECabc"]))
        #expect(settings.format == .dingtalk)
        #expect(settings.secret == "SECabc")

        let misplaced = try Self.entry("- platform: notify\n  url_env: ROBOT\n  secret_env: SEC", ["ROBOT": "https://hooks.example/x", "SEC": "SECabc"])
        #expect {
            _ = try NotifyConnection.settings(misplaced)
        } throws: { error in
            (error as? ChatSettingsError)?.reason.contains("belongs to format: dingtalk") == true
        }
    }
}
