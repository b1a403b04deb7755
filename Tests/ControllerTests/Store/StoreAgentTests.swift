import Foundation
import Testing
@testable import StewardController

@Suite("Store agents", .timeLimit(.minutes(1)))
struct StoreAgentTests {
    @Test func insertsAndFindsAgentsByIDAndName() async throws {
        let store = try StoreFixture.database()
        var agent = StoreFixture.agent("web-1", labels: ["role": "web"])
        agent.facts = Data([0, 1, 2, 255])
        try await store.insertAgent(agent)
        #expect(try await store.agent(id: "agent-web-1") == agent)
        #expect(try await store.agent(named: "web-1") == agent)
        #expect(try await store.agent(id: "nope") == nil)
        #expect(try await store.agent(named: "nope") == nil)
    }

    @Test func listsAgentsSortedByName() async throws {
        let store = try StoreFixture.database()
        for name in ["web-2", "db-1", "web-10", "app"] {
            try await store.insertAgent(StoreFixture.agent(name))
        }
        #expect(try await store.agents().map(\.name) == ["app", "db-1", "web-10", "web-2"])
    }

    @Test func refusesASecondActiveAgentWithTheSameName() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        let error = await #expect(throws: StoreError.self) {
            try await store.insertAgent(StoreFixture.agent("web-1", id: "other-id"))
        }
        #expect(error?.code == .nameTaken)
    }

    @Test func refusesADuplicateID() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1", id: "same"))
        let error = await #expect(throws: StoreError.self) {
            try await store.insertAgent(StoreFixture.agent("web-2", id: "same"))
        }
        #expect(error?.code == .conflict)
    }

    @Test func updatesSessionKeepingFactsWhenNoneAreSent() async throws {
        let store = try StoreFixture.database()
        var agent = StoreFixture.agent("web-1")
        agent.facts = Data("old".utf8)
        try await store.insertAgent(agent)

        try await store.updateAgentSession(
            id: agent.id, facts: nil, version: "1.2.0", bootID: "boot-a", lastSeen: StoreFixture.at(10))
        var stored = try #require(try await store.agent(id: agent.id))
        #expect(stored.facts == Data("old".utf8))
        #expect(stored.agentVersion == "1.2.0")
        #expect(stored.bootID == "boot-a")
        #expect(stored.lastSeenAt == StoreFixture.at(10))

        try await store.updateAgentSession(
            id: agent.id, facts: Data("new".utf8), version: "1.3.0", bootID: "boot-b", lastSeen: StoreFixture.at(20))
        stored = try #require(try await store.agent(id: agent.id))
        #expect(stored.facts == Data("new".utf8))
        #expect(stored.bootID == "boot-b")
    }

    @Test func sessionTouchAndCertificateUpdatesRejectUnknownAgents() async throws {
        let store = try StoreFixture.database()
        let session = await #expect(throws: StoreError.self) {
            try await store.updateAgentSession(id: "ghost", facts: nil, version: "1", bootID: "b", lastSeen: StoreFixture.t0)
        }
        let touch = await #expect(throws: StoreError.self) {
            try await store.touchAgent(id: "ghost", lastSeen: StoreFixture.t0)
        }
        let certificate = await #expect(throws: StoreError.self) {
            try await store.updateAgentCertificate(id: "ghost", serial: "01", notAfter: StoreFixture.t0)
        }
        #expect([session?.code, touch?.code, certificate?.code] == [.notFound, .notFound, .notFound])
    }

    @Test func touchesAndRecordsCertificates() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        try await store.touchAgent(id: "agent-web-1", lastSeen: StoreFixture.at(5))
        try await store.updateAgentCertificate(id: "agent-web-1", serial: "0A1B", notAfter: StoreFixture.at(86_400))
        let stored = try #require(try await store.agent(id: "agent-web-1"))
        #expect(stored.lastSeenAt == StoreFixture.at(5))
        #expect(stored.certSerial == "0A1B")
        #expect(stored.certNotAfter == StoreFixture.at(86_400))
    }

    @Test func revokesByNameOnceAndAgainHarmlessly() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        let revoked = try await store.revokeAgent(named: "web-1", at: StoreFixture.at(60))
        #expect(revoked.status == .revoked)
        #expect(revoked.revokedAt == StoreFixture.at(60))
        let again = try await store.revokeAgent(named: "web-1", at: StoreFixture.at(120))
        #expect(again.revokedAt == StoreFixture.at(60))
        #expect(try await store.agent(id: "agent-web-1")?.status == .revoked)

        let error = await #expect(throws: StoreError.self) {
            _ = try await store.revokeAgent(named: "ghost", at: StoreFixture.t0)
        }
        #expect(error?.code == .notFound)
    }

    @Test func aRevokedNameCanBeEnrolledAgainAndTheActiveOneIsFound() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1", id: "first"))
        _ = try await store.revokeAgent(named: "web-1", at: StoreFixture.at(1))
        try await store.insertAgent(StoreFixture.agent("web-1", id: "second"))
        #expect(try await store.agent(named: "web-1")?.id == "second")
        #expect(try await store.agents().map(\.id) == ["first", "second"])
        let revoked = try await store.revokeAgent(named: "web-1", at: StoreFixture.at(2))
        #expect(revoked.id == "second")
    }

    @Test func touchingManyAgentsSetsLastSeenForThoseOnly() async throws {
        let store = try StoreFixture.database()
        for index in 0..<2_500 { try await store.insertAgent(StoreFixture.agent("web-\(index)")) }
        let online = (0..<2_400).map { "agent-web-\($0)" } + ["agent-gone"]
        try await store.touchAgents(ids: online, lastSeen: StoreFixture.at(60))
        let agents = try await store.agents()
        #expect(agents.filter { $0.lastSeenAt == StoreFixture.at(60) }.count == 2_400, "three batches of up to 1,000")
        #expect(agents.filter { $0.lastSeenAt == nil }.count == 100)
    }
}
