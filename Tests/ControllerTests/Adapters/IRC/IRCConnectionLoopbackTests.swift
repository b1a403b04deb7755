import Logging
import NIOConcurrencyHelpers
import Testing
@testable import StewardController

/// The whole connection (sessions, reconnects, inbox, engine, adapter) against a scripted server.
@Suite(.serialized, .timeLimit(.minutes(2))) struct IRCConnectionLoopbackTests {
    @Test func answersInTheChannelAndAgainAfterTheServerDropsTheLink() async throws {
        let logger = IRCSessionLoopbackTests.logger
        let harness = try await DispatcherHarness(agents: ["web-01"])
        let engine = ChatEngine(database: harness.database, dispatcher: harness.dispatcher, policy: .denyAll, logger: logger)
        let connections = NIOLockedValueBox(0)
        let replies = NIOLockedValueBox<[String]>([])
        let server = try await FakeIRCServer { client in
            let number = connections.withLockedValue { count in
                count += 1
                return count
            }
            try await client.register()
            try await client.send(":alice!~alice@127.0.0.1 PRIVMSG #ops :steward: whoami")
            let reply = try await client.expect("PRIVMSG #ops")
            replies.withLockedValue { $0.append(reply) }
            if number == 1 {
                try await client.send("ERROR :Closing link (server restart)")
            } else {
                _ = try? await client.read(timeout: .seconds(30))
            }
        }
        let connection = try IRCConnection(settings: IRCSessionLoopbackTests.settings(port: server.port, tls: false), logger: logger)
        let running = Task { await connection.run(engine: engine) }
        try await eventually { replies.withLockedValue { $0.count } == 2 }
        let health = await connection.health.snapshot
        #expect(health.connected && health.isHealthy && health.reconnects == 1, "\(health)")
        #expect(health.lastEventAt != nil)

        let started = ContinuousClock.now
        running.cancel()
        await running.value
        #expect(ContinuousClock.now - started < .seconds(10), "the server would hold the link for 30 s")
        await server.stop()
        // A new session's event ids differ from the old one's, so the engine did not drop the second whoami.
        #expect(replies.withLockedValue { $0 } == Array(repeating: "PRIVMSG #ops :you are irc:alice!~alice@127.0.0.1 (alice); roles: none", count: 2))
        #expect(await connection.health.snapshot.connected == false)
    }
}
