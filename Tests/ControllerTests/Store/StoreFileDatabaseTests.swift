import Foundation
import GRDB
import Testing
@testable import StewardController

@Suite("Store on a file", .timeLimit(.minutes(1)))
struct StoreFileDatabaseTests {
    @Test func opensInWALModeOwnerOnlyAndKeepsDataAcrossReopening() async throws {
        let folder = try StoreFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("steward.sqlite").path

        do {
            let store = try StewardDatabase.open(path: path)
            let mode = try await store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            #expect(store.writer is DatabasePool)
            try await store.insertAgent(StoreFixture.agent("web-1"))
        }
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        let reopened = try StewardDatabase.open(path: path)
        #expect(try await reopened.agent(named: "web-1")?.id == "agent-web-1")
        let applied = try await reopened.writer.read { db in try StewardDatabase.migrator.appliedIdentifiers(db) }
        #expect(Set(applied) == Set(StewardDatabase.knownMigrations))
    }

    @Test func concurrentEnrollmentsOnAPoolLetExactlyTheAllowedNumberThrough() async throws {
        let folder = try StoreFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try StewardDatabase.open(path: folder.appendingPathComponent("steward.sqlite").path)
        try await store.insertEnrollmentToken(StoreFixture.token("t1", secret: "s", maxUses: 3))

        let outcomes = await StoreEnrollmentTokenTests.enrollConcurrently(store, names: (1...10).map { "host-\($0)" })
        #expect(outcomes.successes == 3)
        #expect(outcomes.failures == [.tokenExhausted: 7])
        #expect(try await store.agents().count == 3)
        #expect(try await store.enrollmentTokens().first?.uses == 3)
    }

    @Test func twoConnectionsToOneFileSeeEachOthersWrites() async throws {
        let folder = try StoreFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("steward.sqlite").path
        let first = try StewardDatabase.open(path: path)
        let second = try StewardDatabase.open(path: path)
        try await first.insertEnrollmentToken(StoreFixture.token("t1", secret: "s"))
        // A second process (say the CLI) racing the controller for one single-use token.
        async let a = try? first.consumeToken(secretHash: StoreFixture.hash("s"), now: StoreFixture.at(1))
        async let b = try? second.consumeToken(secretHash: StoreFixture.hash("s"), now: StoreFixture.at(1))
        let results = await [a, b]
        #expect(results.compactMap { $0 }.count == 1)
        #expect(try await second.enrollmentTokens().first?.uses == 1)
    }

    @Test func refusesAPathThatCannotBeCreated() {
        #expect(throws: (any Error).self) {
            _ = try StewardDatabase.open(path: "/nonexistent-dir-\(UUID().uuidString)/steward.sqlite")
        }
    }
}
