import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import StewardController

/// Slack redelivers an event it thinks we missed; the chat engine's event-id dedupe makes it run once.
@Suite("Slack retried deliveries", .timeLimit(.minutes(1)))
struct SlackRetryDedupeTests {
    static let policy = """
        identities:
          - {platform: slack, user: U061F7AUR, roles: [viewer]}
        roles:
          viewer:
            rules: [{commands: [ping, metrics, agents], targets: all}]
        """

    @Test func aRetriedDeliveryIsHandedOnButRunsNothingTwice() async throws {
        let harness = try await DispatcherHarness(agents: ["web-01", "web-02"])
        let engine = ChatEngine(
            database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: Self.policy),
            progressInterval: .milliseconds(10), logger: SlackEventsEndpointTests.quiet)
        let handed = SlackEventsEndpointTests.Handed()
        let first = SlackEventsEndpointTests.Request(SlackEventsEndpointTests.mention)
        let retried = SlackEventsEndpointTests.Request(SlackEventsEndpointTests.mention, timestamp: "1700000004", retry: "1")
        let responses = try await SlackEventsEndpointTests.send([first, retried], handed: handed)
        #expect(responses.map(\.status) == [.ok, .ok])
        #expect(handed.all.map(\.eventID) == ["Ev0001", "Ev0001"], "both deliveries reach the engine")

        try await FakeSlackWebAPI.withServer { fake, url in
            let adapter = SlackAdapterTests.adapter(url)
            for message in handed.all { await engine.handle(message, via: adapter) }
            let jobs = try await harness.database.recentJobs(limit: 10)
            #expect(jobs.count == 1)
            let posts = await fake.calls.filter { $0.method == "chat.postMessage" }
            #expect(posts.count == 1, "one reply, in the asker's thread")
            #expect(posts.first?.body["channel"] == "C123ABC456")
            #expect(posts.first?.body["thread_ts"] == "1700000000.000016")
            #expect(posts.first?.body["text"]?.contains("`ping` on 2 hosts") == true, "\(posts.first?.body["text"] ?? "")")
        }
    }

    @Test func theInboxHandsQueuedMessagesToTheEngine() async throws {
        let harness = try await DispatcherHarness(agents: ["web-01"])
        let engine = ChatEngine(
            database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: Self.policy),
            logger: SlackEventsEndpointTests.quiet)
        try await FakeSlackWebAPI.withServer { fake, url in
            let inbox = ChatInbox(capacity: 4)
            for event in ["Ev1", "Ev2", "Ev1"] {
                #expect(inbox.deliver(ChatMessage(
                    platform: "slack", room: "C1", thread: "1.2", userID: "U061F7AUR", displayName: "U061F7AUR", text: "whoami",
                    eventID: event)))
            }
            inbox.finish()
            await inbox.run(engine: engine, adapter: SlackAdapterTests.adapter(url))
            let texts = await fake.calls.filter { $0.method == "chat.postMessage" }.compactMap { $0.body["text"] }
            #expect(texts == ["you are slack:U061F7AUR (U061F7AUR); roles: viewer", "you are slack:U061F7AUR (U061F7AUR); roles: viewer"])
        }
    }
}
