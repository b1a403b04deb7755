import Foundation
import Synchronization
import Testing
@testable import StewardController

/// Once an approval request is decided (button or typed), its Slack message is edited: the buttons give way to
/// "Approved by <@U…>" / "Denied by <@U…>" / "Expired".
@Suite("Slack approval message shows the decision", .timeLimit(.minutes(1)))
struct SlackApprovalEditTests {
    static let policy = """
        identities:
          - {platform: slack, user: U0REQUEST, roles: [operator]}
          - {platform: slack, user: U0APPROVER, roles: [approver]}
        roles:
          operator:
            rules: [{commands: [ping], targets: all, approval: {approvers: [approver], expires: 30m}}]
          approver:
            rules: [{commands: [approve, deny], targets: all}]
        """

    struct Fixture {
        let harness: DispatcherHarness
        let engine: ChatEngine
        let adapter: SlackAdapter
        let clock: SlackTestClock

        /// Asks for `ping web-01`, which needs approval; returns the ticket and the request message's ts.
        func request(_ fake: FakeSlackWebAPI) async throws -> (ticket: String, ts: String) {
            await engine.handle(
                ChatMessage(platform: "slack", room: "C1", thread: "1700000000.000100", userID: "U0REQUEST", displayName: "alice",
                            text: "ping web-01", eventID: "EvAsk"), via: adapter)
            let post = try #require(await fake.calls.first { $0.method == "chat.postMessage" })
            let ticket = try #require(post.raw.firstMatch(of: /"value":"approve ([A-Z0-9]+)"/)?.1)
            return (String(ticket), "1700000001.000100")
        }

        func press(_ command: String, as user: String = "U0APPROVER", actionTS: String = "1700000002.123456") async throws {
            let json = SlackInteractionTests.pressed(value: command, user: user).replacingOccurrences(of: "1700000002.123456", with: actionTS)
            let interaction = try JSONDecoder().decode(SlackInteraction.self, from: Data(json.utf8))
            await engine.handle(try #require(interaction.chatMessage), via: adapter)
        }
    }

    static func fixture(_ url: String) async throws -> Fixture {
        let harness = try await DispatcherHarness(agents: ["web-01"])
        try await harness.connect("web-01")
        let clock = SlackTestClock()
        let engine = ChatEngine(
            database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: policy),
            progressInterval: .milliseconds(10), logger: SlackEventsEndpointTests.quiet, now: { clock.now })
        return Fixture(harness: harness, engine: engine, adapter: SlackAdapterTests.adapter(url), clock: clock)
    }

    static func updates(of ts: String, _ fake: FakeSlackWebAPI) async -> [FakeSlackWebAPI.Call] {
        await fake.calls.filter { $0.method == "chat.update" && $0.body["ts"] == ts }
    }

    @Test func pressingApproveEditsTheRequestToShowTheApprover() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            let fixture = try await Self.fixture(url)
            let (ticket, ts) = try await fixture.request(fake)
            #expect(try #require(await fake.calls.first?.raw).contains(#""type":"actions""#), "the request has buttons")

            try await fixture.press("approve \(ticket)")
            let job = try #require(try await fixture.harness.database.recentJobs(limit: 1).first)
            try await fixture.harness.finish(job, by: "web-01")
            try await Task.sleep(for: .milliseconds(300))

            let edits = await Self.updates(of: ts, fake)
            #expect(edits.count == 1, "one chat.update on the request's ts")
            let edit = try #require(edits.first)
            #expect(edit.body["channel"] == "C1")
            #expect(!edit.raw.contains(#""type":"actions""#), "no buttons left to press")
            #expect(!edit.raw.contains("steward.command."))
            #expect(edit.raw.contains("Approved by <@U0APPROVER>"))
            #expect(edit.body["text"]?.hasSuffix("\n✅ Approved by <@U0APPROVER>") == true)
            #expect(edit.body["text"]?.contains("needs approval") == true, "the request stays readable above the decision")

            // A second press (a redelivery, or someone else) edits nothing more.
            try await fixture.press("approve \(ticket)", actionTS: "1700000003.000001")
            #expect(await Self.updates(of: ts, fake).count == 1)
        }
    }

    @Test func aTypedDenyEditsTheRequestToShowWhoDenied() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            let fixture = try await Self.fixture(url)
            let (ticket, ts) = try await fixture.request(fake)
            await fixture.engine.handle(
                ChatMessage(platform: "slack", room: "C1", thread: "1700000000.000100", userID: "U0APPROVER", displayName: "carol",
                            text: "deny \(ticket)", eventID: "EvDeny"), via: fixture.adapter)
            let edits = await Self.updates(of: ts, fake)
            #expect(edits.count == 1)
            #expect(edits.first?.raw.contains("Denied by <@U0APPROVER>") == true)
            #expect(edits.first?.raw.contains(#""type":"actions""#) == false)
            #expect(try await fixture.harness.database.recentJobs(limit: 1).isEmpty, "nothing ran")
        }
    }

    @Test func aRefusedApprovalLeavesTheButtons() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            let fixture = try await Self.fixture(url)
            let (ticket, ts) = try await fixture.request(fake)
            try await fixture.press("approve \(ticket)", as: "U0REQUEST")
            #expect(await Self.updates(of: ts, fake).isEmpty, "self-approval is refused, so the request is still open")
        }
    }

    @Test func anApprovalTriedAfterExpiryShowsExpired() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            let fixture = try await Self.fixture(url)
            let (ticket, ts) = try await fixture.request(fake)
            fixture.clock.advance(seconds: 31 * 60)
            try await fixture.press("approve \(ticket)")
            let edits = await Self.updates(of: ts, fake)
            #expect(edits.count == 1)
            #expect(edits.first?.raw.contains("Expired") == true)
            #expect(edits.first?.raw.contains(#""type":"actions""#) == false)
        }
    }

    @Test func decisionsNameTheDecider() {
        let slack = ChatPolicy.Identity(platform: "slack", userID: "U0APPROVER")
        #expect(SlackAdapter.decision(.approved(by: slack)) == "✅ Approved by <@U0APPROVER>")
        #expect(SlackAdapter.decision(.denied(by: slack)) == "⛔ Denied by <@U0APPROVER>")
        #expect(SlackAdapter.decision(.withdrawn(by: slack)) == "↩️ Withdrawn by <@U0APPROVER>")
        #expect(SlackAdapter.decision(.denied(by: .init(platform: "slack", userID: "U1> <!channel"))) == "⛔ Denied by slack:U1&gt; &lt;!channel")
        #expect(SlackAdapter.decision(.approved(by: .init(platform: "web", userID: "bob"))) == "✅ Approved by web:bob")
    }
}

/// The engine's clock, moved forward by hand (for expiry).
final class SlackTestClock: Sendable {
    private let box = Mutex(Date())

    var now: Date { box.withLock { $0 } }

    func advance(seconds: TimeInterval) {
        box.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
