import Foundation
import Logging
@testable import StewardController
import Testing

/// The chat engine in process, over an in-memory store and a console room.
@Suite struct ChatEngineTests {
    static let policy = """
        identities:
          - {platform: terminal, user: alice, roles: [operator]}
          - {platform: terminal, user: bob, roles: [viewer]}
        roles:
          viewer:
            rules: [{commands: [ping, metrics, agents, history, job], targets: all}]
          operator:
            inherits: [viewer]
            rules: [{commands: ["service.stop"], targets: all, confirm: {within: 60s}}]
        """

    struct Room {
        let harness: DispatcherHarness
        let engine: ChatEngine
        let log = ConsoleRoomLog()

        init() async throws {
            harness = try await DispatcherHarness(agents: ["web-01", "web-02"])
            engine = ChatEngine(
                database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: ChatEngineTests.policy),
                progressInterval: .milliseconds(10), logger: Logger(label: "test.chat", factory: { _ in SwiftLogNoOpLogHandler() }))
        }

        func say(_ user: String, _ text: String, event: String = UUID().uuidString) async -> [String] {
            let before = await log.page(room: "ops", after: 0).revision
            await engine.handle(
                ChatMessage(platform: "terminal", room: "ops", userID: user, displayName: user, text: text, eventID: event),
                via: ConsoleChatAdapter(platform: "terminal", log: log))
            return await log.page(room: "ops", after: before).messages.map(\.text)
        }

        func jobCount() async throws -> Int { try await harness.database.recentJobs(limit: 100).count }
    }

    @Test func aRetriedDeliveryRunsNothingTwice() async throws {
        let room = try await Room()
        let first = await room.say("alice", "ping all", event: "evt-1")
        #expect(first.first?.contains("`ping` on 2 hosts, asked by alice") == true, "\(first)")
        let retried = await room.say("alice", "ping all", event: "evt-1")
        #expect(retried.isEmpty, "a duplicate event gets no answer")
        #expect(try await room.jobCount() == 1)
        _ = await room.say("alice", "ping all", event: "evt-2")
        #expect(try await room.jobCount() == 2)
    }

    @Test func deniedCommandsSayWhyAndRunNothing() async throws {
        let room = try await Room()
        let answer = await room.say("bob", "stop nginx on web-01")
        #expect(answer == ["denied: bob (viewer) may not run service.stop on web-01"])
        let stranger = await room.say("mallory", "ping all")
        #expect(stranger.first?.hasPrefix("denied:") == true)
        #expect(try await room.jobCount() == 0)
    }

    @Test func confirmationRunsOnlyAfterTheSamePersonSaysYes() async throws {
        let room = try await Room()
        let asked = await room.say("alice", "stop nginx on all")
        #expect(asked.first?.contains("reply `yes` within 60 s") == true, "\(asked)")
        #expect(try await room.jobCount() == 0)
        let otherYes = await room.say("bob", "yes")
        #expect(otherYes == ["nothing is waiting for your confirmation"])
        #expect(try await room.jobCount() == 0)
        _ = await room.say("alice", "yes")
        #expect(try await room.jobCount() == 1)
    }

    @Test func dryRunListsHostsAndRunsNothing() async throws {
        let room = try await Room()
        let answer = await room.say("alice", "ping web-* --dry-run")
        #expect(answer.first?.contains("would run on 2 host(s)") == true)
        #expect(answer.first?.contains("web-01\nweb-02") == true)
        #expect(try await room.jobCount() == 0)
    }

    @Test func typosGetASuggestionAndEverythingIsAudited() async throws {
        let room = try await Room()
        let answer = await room.say("alice", "metircs all")
        #expect(answer == ["unknown command `metircs`: did you mean `metrics`?"])
        _ = await room.say("bob", "stop nginx on web-01")
        let events = try await AuditLog(database: room.harness.database).events(limit: 10)
        #expect(events.map(\.kind.rawValue).contains("decision"))
        #expect(events.filter { $0.kind == .request }.count == 2)
        #expect(try await AuditLog(database: room.harness.database).verify().isIntact)
    }
}
