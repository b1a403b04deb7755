import Foundation
import Testing
@testable import StewardController

/// A configured Slack connection: `auth.test` at start, health on `/healthz`, a refused token shown with its reason.
@Suite("Slack connection and /healthz", .timeLimit(.minutes(1)))
struct SlackConnectionTests {
    static func connection(_ url: String, token: String = FakeSlackWebAPI.token) -> SlackConnection {
        SlackConnection(
            settings: .init(name: "ops-slack", botToken: token, signingSecret: SlackEventsEndpointTests.secret, apiURL: url,
                            eventsPath: "/slack/events", names: ["steward"], prefix: "!"),
            logger: SlackEventsEndpointTests.quiet)
    }

    /// Runs the connection until `body` returns.
    static func running(
        _ connection: any ChatConnection, policy: String = SlackRetryDedupeTests.policy, _ body: () async throws -> Void
    ) async throws {
        let harness = try await DispatcherHarness(agents: [])
        let engine = ChatEngine(
            database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: policy),
            logger: SlackEventsEndpointTests.quiet)
        let task = Task { await connection.run(engine: engine) }
        defer { task.cancel() }
        try await body()
        task.cancel()
        await task.value
    }

    @Test func anAcceptedTokenMakesTheConnectionHealthyOnHealthz() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            let connection = Self.connection(url)
            var api = try await APIHarness.make()
            defer { api.cleanUp() }
            api.connections = ChatConnections([connection])

            let before = try await api.request(.get, "/healthz", authorization: nil).decode(API.Health.self)
            #expect(before.status == "degraded", "not connected yet")
            #expect(before.chat?.first?.summary == "disconnected")

            try await Self.running(connection) {
                try await eventually { await connection.health.snapshot.connected }
                let health = try await api.request(.get, "/healthz", authorization: nil).decode(API.Health.self)
                #expect(health.status == "ok")
                let slack = try #require(health.chat?.first)
                #expect(slack.name == "ops-slack")
                #expect(slack.platform == "slack")
                #expect(slack.healthy)
                #expect(await fake.calls.map(\.method) == ["auth.test"])
            }
        }
    }

    @Test func aRevokedTokenShowsAsDegradedWithTheReason() async throws {
        try await FakeSlackWebAPI.withServer { _, url in
            let connection = Self.connection(url, token: "xoxb-revoked")
            var api = try await APIHarness.make()
            defer { api.cleanUp() }
            api.connections = ChatConnections([connection])
            try await Self.running(connection) {
                try await eventually { await connection.health.snapshot.authFailure != nil }
                let health = try await api.request(.get, "/healthz", authorization: nil).decode(API.Health.self)
                #expect(health.status == "degraded")
                #expect(health.chat?.first?.summary == "credentials refused: invalid_auth")
                #expect(health.chat?.first?.authFailure == "invalid_auth")
                let report = StatusReport.render(health, now: Date())
                #expect(report.contains("controller: degraded"))
                #expect(report.contains("ops-slack"))
                #expect(report.contains("credentials refused: invalid_auth"))
            }
        }
    }

    @Test func eventsAreRefusedWith503UntilTheBotKnowsWhoItIs() async throws {
        let connection = Self.connection("http://127.0.0.1:9/api/")
        var api = try await APIHarness.make()
        defer { api.cleanUp() }
        api.connections = ChatConnections([connection])
        let request = SlackEventsEndpointTests.Request(
            SlackEventsEndpointTests.mention, timestamp: String(Int(Date().timeIntervalSince1970)))
        let response = try await api.request(
            .post, "/slack/events", authorization: nil, headers: request.headers, bytes: Array(request.body.utf8))
        #expect(response.status == .serviceUnavailable, "Slack retries a 503; the event is not lost")
    }
}
