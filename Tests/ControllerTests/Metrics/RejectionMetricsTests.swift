import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
@testable import StewardController

/// Each refusal at a chat entry point raises its `steward_rejections_total{entry, reason}` sample by exactly one,
/// read from the text `/metrics` emits, before and after.
@Suite("Rejections are counted", .timeLimit(.minutes(1)))
struct RejectionMetricsTests {
    static let quiet = Logger(label: "test.metrics", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func aForgedWebhookSignatureCountsOneBadSignature() async throws {
        var api = try await APIHarness.make()
        defer { api.cleanUp() }
        let connection = WebhookConnection(
            settings: .init(name: "alertmanager", style: .steward, path: "/hooks/alertmanager", secret: WebhookConnectionTests.secret,
                            identity: "alertmanager", replyURL: nil),
            logger: Self.quiet, metrics: api.metrics)
        api.connections = ChatConnections([connection])
        let body = #"{"text":"whoami"}"#
        let before = PrometheusSamples.rejections(in: try await MetricsEndpointTests.scrape(api), .webhook, .badSignature)
        let forged = WebhookConnectionTests.signedHeaders(body, secret: "another-secret-0123456789")
        let response = try await api.request(.post, "/hooks/alertmanager", authorization: nil, headers: forged, bytes: Array(body.utf8))
        #expect(response.status == .unauthorized)
        let after = try await MetricsEndpointTests.scrape(api)
        #expect(PrometheusSamples.rejections(in: after, .webhook, .badSignature) - before == 1)
        #expect(PrometheusSamples.rejections(in: after, .webhook, .staleTimestamp) == 0)

        let stale = WebhookConnectionTests.signedHeaders(body, timestamp: Date().addingTimeInterval(-301))
        #expect(try await api.request(.post, "/hooks/alertmanager", authorization: nil, headers: stale, bytes: Array(body.utf8)).status
            == .unauthorized)
        #expect(api.metrics.rejections(.webhook, .staleTimestamp) == 1)
        #expect(api.metrics.rejections(.webhook, .badSignature) - before == 1, "a stale request is not also a bad signature")
    }

    static let policy = """
        identities:
          - {platform: terminal, user: alice, roles: [operator, approver]}
          - {platform: terminal, user: bob, roles: [viewer]}
        roles:
          viewer:
            rules: [{commands: [ping], targets: all}]
          operator:
            rules: [{commands: [reboot], targets: all, approval: {approvers: [approver], expires: 30m}}]
          approver:
            rules: [{commands: [approve, deny], targets: all}]
        """

    /// A chat engine over an in-memory store, counting into its own metrics, with a console room to talk in.
    struct Room {
        let harness: DispatcherHarness
        let metrics = ControllerMetrics()
        let engine: ChatEngine
        let log = ConsoleRoomLog()

        init() async throws {
            harness = try await DispatcherHarness(agents: ["web-01"])
            engine = ChatEngine(
                database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: RejectionMetricsTests.policy),
                metrics: metrics, logger: RejectionMetricsTests.quiet)
        }

        func say(_ user: String, _ text: String) async -> [String] {
            let before = await log.page(room: "ops", after: 0).revision
            await engine.handle(
                ChatMessage(platform: "terminal", room: "ops", userID: user, displayName: user, text: text, eventID: UUID().uuidString),
                via: ConsoleChatAdapter(platform: "terminal", log: log))
            return await log.page(room: "ops", after: before).messages.map(\.text)
        }
    }

    @Test func aChatUserNotInPolicyCountsOneNotInPolicy() async throws {
        let room = try await Room()
        let before = room.metrics.rejections(.chat, .notInPolicy)
        let answer = await room.say("mallory", "ping all")
        #expect(answer.first?.hasPrefix("denied:") == true, "\(answer)")
        #expect(room.metrics.rejections(.chat, .notInPolicy) - before == 1)
        #expect(room.metrics.rejections(.chat, .denied) == 0)
        #expect(try await room.harness.database.recentJobs(limit: 10).isEmpty)
    }

    @Test func aKnownUserBeyondTheirRolesCountsOneDenied() async throws {
        let room = try await Room()
        let answer = await room.say("bob", "reboot web-01")
        #expect(answer.first?.hasPrefix("denied:") == true, "\(answer)")
        #expect(room.metrics.rejections(.chat, .denied) == 1)
        #expect(room.metrics.rejections(.chat, .notInPolicy) == 0)
    }

    @Test func selfApprovalCountsOneSelfApproval() async throws {
        let room = try await Room()
        let asked = await room.say("alice", "reboot web-01")
        let text = try #require(asked.first)
        let ticket = try #require(text.split(separator: "`").first { $0.hasPrefix("approve ") }?.dropFirst("approve ".count))
        let answer = await room.say("alice", "approve \(ticket)")
        #expect(answer.first?.hasPrefix("cannot approve:") == true, "\(answer)")
        #expect(room.metrics.rejections(.chat, .selfApproval) == 1)
        #expect(try await room.harness.database.recentJobs(limit: 10).isEmpty, "nothing ran")
    }
}
