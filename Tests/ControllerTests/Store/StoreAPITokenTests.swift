import Foundation
import Testing
@testable import StewardController

@Suite("Store API tokens", .timeLimit(.minutes(1)))
struct StoreAPITokenTests {
    private func token(_ id: String, hash: String) -> APITokenRecord {
        APITokenRecord(id: id, name: "admin", tokenHash: Data(hash.utf8), role: "admin", createdAt: StoreFixture.t0)
    }

    @Test func findsATokenByHashAndRecordsItsUse() async throws {
        let store = try StoreFixture.database()
        #expect(try await store.apiTokenCount() == 0)
        try await store.insertAPIToken(token("k1", hash: "h1"))
        try await store.insertAPIToken(token("k2", hash: "h2"))
        #expect(try await store.apiTokenCount() == 2)

        let found = try #require(try await store.apiToken(hash: Data("h2".utf8), now: StoreFixture.at(30)))
        #expect(found.id == "k2")
        #expect(found.lastUsedAt == StoreFixture.at(30))
        #expect(try await store.apiToken(hash: Data("h2".utf8), now: StoreFixture.at(40))?.lastUsedAt == StoreFixture.at(30), "kept to the minute")
        #expect(try await store.apiToken(hash: Data("h2".utf8), now: StoreFixture.at(90))?.lastUsedAt == StoreFixture.at(90))
        #expect(try await store.apiToken(hash: Data("h1".utf8), now: StoreFixture.at(95))?.lastUsedAt == StoreFixture.at(95), "first use")
        #expect(try await store.apiToken(hash: Data("nope".utf8), now: StoreFixture.at(50)) == nil)
        #expect(try await store.apiToken(hash: Data(), now: StoreFixture.at(50)) == nil)
    }

    @Test func refusesADuplicateHash() async throws {
        let store = try StoreFixture.database()
        try await store.insertAPIToken(token("k1", hash: "h1"))
        let error = await #expect(throws: StoreError.self) { try await store.insertAPIToken(token("k2", hash: "h1")) }
        #expect(error?.code == .conflict)
        #expect(try await store.apiTokenCount() == 1)
    }
}
