import Foundation
import Testing
@testable import StewardController

/// Outbound notifications to an incoming-webhook receiver: finished jobs, agents that stay offline, approvals.
@Suite("Outbound notifications", .timeLimit(.minutes(1)))
struct NotifyConnectionTests {
    static func connection(
        _ harness: DispatcherHarness, url: String, events: Set<String> = Set(ControllerEvent.kinds), offlineAfter: Duration = .milliseconds(100)
    ) -> NotifyConnection {
        NotifyConnection(
            settings: .init(name: "ops-room", url: url, events: events, offlineAfter: offlineAfter, consoleURL: "https://steward.example"),
            parts: ControllerParts(events: harness.dispatcher.events, database: harness.database, registry: harness.registry),
            logger: SlackEventsEndpointTests.quiet, retryDelay: .milliseconds(10), deliveryTimeout: .seconds(1))
    }

    @Test func aFinishedJobIsAnnouncedWithItsOutcomeAndLink() async throws {
        let harness = try await DispatcherHarness(agents: ["web-01", "web-02"])
        try await FakeIncomingWebhook.withServer { receiver, url in
            let connection = Self.connection(harness, url: url)
            try await SlackConnectionTests.running(connection) {
                try await harness.connect("web-01")
                try await harness.connect("web-02")
                let job = try await harness.submit()
                try await harness.finish(job, by: "web-01")
                try await harness.finish(job, by: "web-02", status: .failed, exitCode: 3)
                try await eventually { await !receiver.texts.isEmpty }
                let text = try #require(await receiver.texts.first)
                #expect(text.hasPrefix("⚠ job \(job.id) `ping` on all by alice: "), "\(text)")
                #expect(text.contains("1 succeeded"))
                #expect(text.contains("1 failed"))
                #expect(text.hasSuffix("https://steward.example/#/jobs/\(job.id)"))
            }
        }
    }

    @Test func anAgentIsReportedOnlyWhenItStaysAway() async throws {
        let harness = try await DispatcherHarness(agents: ["web-01", "web-02"])
        try await FakeIncomingWebhook.withServer { receiver, url in
            let connection = Self.connection(harness, url: url, events: ["agent_offline"], offlineAfter: .milliseconds(300))
            try await SlackConnectionTests.running(connection) {
                try await harness.connect("web-01")
                try await harness.connect("web-02")
                // web-01 flaps (back within the grace period); web-02 stays away.
                await harness.disconnect("web-01")
                harness.dispatcher.events.emit(.agentDisconnected(agentID: DispatcherHarness.id("web-01")))
                await harness.disconnect("web-02")
                harness.dispatcher.events.emit(.agentDisconnected(agentID: DispatcherHarness.id("web-02")))
                try await harness.connect("web-01")
                // A finished job is not among this connection's events.
                let job = try await harness.submit(target: "web-01")
                try await harness.finish(job, by: "web-01")
                try await eventually { await !receiver.texts.isEmpty }
                try await Task.sleep(for: .milliseconds(500))
                #expect(await receiver.texts == ["⚠ agent web-02 is offline (for 0 s)"])
            }
        }
    }

    @Test func approvalRequestsNameTheTicketAndTheRoles() async throws {
        let harness = try await DispatcherHarness(agents: [])
        try await FakeIncomingWebhook.withServer { receiver, url in
            let connection = Self.connection(harness, url: url)
            try await SlackConnectionTests.running(connection) {
                harness.dispatcher.events.emit(.approvalRequested(
                    ticket: "T1234567", summary: "`reboot` on web-01", requester: "alice", approverRoles: ["approver"]))
                try await eventually { await !receiver.texts.isEmpty }
                #expect(await receiver.texts == [
                    "✋ alice asks to run `reboot` on web-01; someone with role approver can reply `approve T1234567` or `deny T1234567`",
                ])
            }
        }
    }

    @Test func anUnreachableReceiverIsRetriedAndShownInHealth() async throws {
        let harness = try await DispatcherHarness(agents: [])
        let connection = Self.connection(harness, url: "http://127.0.0.1:9/hook")
        try await SlackConnectionTests.running(connection) {
            harness.dispatcher.events.emit(.approvalRequested(ticket: "T1", summary: "x", requester: "a", approverRoles: ["b"]))
            try await eventually { await connection.health.snapshot.lastError != nil }
            #expect(await connection.health.snapshot.lastError?.contains("unreachable") == true)
        }
    }
}
