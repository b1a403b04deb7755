import Foundation
import Testing
@testable import StewardController

@Suite("Store enrollment tokens", .timeLimit(.minutes(1)))
struct StoreEnrollmentTokenTests {
    private func code(_ body: () async throws -> Void) async -> StoreError.Code? {
        do {
            try await body()
            return nil
        } catch let error as StoreError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func consumingCountsUsesUntilExhausted() async throws {
        let store = try StoreFixture.database()
        try await store.insertEnrollmentToken(StoreFixture.token("t1", secret: "s", maxUses: 2))
        #expect(try await store.consumeToken(secretHash: StoreFixture.hash("s"), now: StoreFixture.at(1)).uses == 1)
        #expect(try await store.consumeToken(secretHash: StoreFixture.hash("s"), now: StoreFixture.at(2)).uses == 2)
        let third = await code { _ = try await store.consumeToken(secretHash: StoreFixture.hash("s"), now: StoreFixture.at(3)) }
        #expect(third == .tokenExhausted)
        #expect(try await store.enrollmentTokens().first?.uses == 2)
    }

    @Test func refusesUnknownExpiredAndRevokedTokens() async throws {
        let store = try StoreFixture.database()
        try await store.insertEnrollmentToken(StoreFixture.token("t1", secret: "s", expiresAt: StoreFixture.at(60)))
        try await store.insertEnrollmentToken(StoreFixture.token("t2", secret: "r"))
        try await store.revokeEnrollmentToken(id: "t2", at: StoreFixture.at(1))

        let unknown = await code { _ = try await store.consumeToken(secretHash: StoreFixture.hash("x"), now: StoreFixture.t0) }
        // Expiry is exclusive: at the expiry instant the token is already dead.
        let expired = await code { _ = try await store.consumeToken(secretHash: StoreFixture.hash("s"), now: StoreFixture.at(60)) }
        let revoked = await code { _ = try await store.consumeToken(secretHash: StoreFixture.hash("r"), now: StoreFixture.at(2)) }
        let missing = await code { try await store.revokeEnrollmentToken(id: "ghost", at: StoreFixture.t0) }
        #expect([unknown, expired, revoked, missing] == [.tokenUnknown, .tokenExpired, .tokenExpired, .notFound])
        #expect(try await store.consumeToken(secretHash: StoreFixture.hash("s"), now: StoreFixture.at(59.999)).uses == 1)
    }

    @Test func refusesDuplicateSecretHashes() async throws {
        let store = try StoreFixture.database()
        try await store.insertEnrollmentToken(StoreFixture.token("t1", secret: "s"))
        let duplicate = await code { try await store.insertEnrollmentToken(StoreFixture.token("t2", secret: "s")) }
        #expect(duplicate == .conflict)
    }

    @Test func enrollingConsumesTheTokenAndAppliesItsLabels() async throws {
        let store = try StoreFixture.database()
        try await store.insertEnrollmentToken(
            StoreFixture.token("t1", secret: "s", labels: ["role": "web", "env": "prod"]))
        let agent = StoreFixture.agent("web-1", labels: ["role": "db", "rack": "r7"])
        let enrolled = try await store.enrollAgent(secretHash: StoreFixture.hash("s"), agent: agent, now: StoreFixture.at(1))
        #expect(enrolled.labels == ["role": "web", "env": "prod", "rack": "r7"])
        #expect(try await store.agent(id: agent.id) == enrolled)
        #expect(try await store.enrollmentTokens().first?.uses == 1)

        let second = await code {
            _ = try await store.enrollAgent(
                secretHash: StoreFixture.hash("s"), agent: StoreFixture.agent("web-2"), now: StoreFixture.at(2))
        }
        #expect(second == .tokenExhausted)
        #expect(try await store.agent(named: "web-2") == nil)
    }

    @Test func aTakenNameDoesNotConsumeTheToken() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        try await store.insertEnrollmentToken(StoreFixture.token("t1", secret: "s"))
        let taken = await code {
            _ = try await store.enrollAgent(
                secretHash: StoreFixture.hash("s"), agent: StoreFixture.agent("web-1", id: "new"), now: StoreFixture.at(1))
        }
        #expect(taken == .nameTaken)
        #expect(try await store.enrollmentTokens().first?.uses == 0)
        let enrolled = try await store.enrollAgent(
            secretHash: StoreFixture.hash("s"), agent: StoreFixture.agent("web-9"), now: StoreFixture.at(2))
        #expect(enrolled.name == "web-9")
    }

    @Test func tokenFaultsComeBeforeNameFaults() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        let fault = await code {
            _ = try await store.enrollAgent(
                secretHash: StoreFixture.hash("none"), agent: StoreFixture.agent("web-1", id: "x"), now: StoreFixture.t0)
        }
        #expect(fault == .tokenUnknown)
    }

    @Test func concurrentEnrollmentsWithASingleUseTokenLetExactlyOneThrough() async throws {
        let store = try StoreFixture.database()
        try await store.insertEnrollmentToken(StoreFixture.token("t1", secret: "s"))
        let outcomes = await Self.enrollConcurrently(store, names: (1...8).map { "host-\($0)" })
        #expect(outcomes.successes == 1)
        #expect(outcomes.failures == [.tokenExhausted: 7])
        #expect(try await StoreFixture.count("agents", in: store) == 1)
        #expect(try await store.enrollmentTokens().first?.uses == 1)
    }

    /// Starts one enrollment per name at once with the token whose secret is "s".
    static func enrollConcurrently(
        _ store: StewardDatabase, names: [String]
    ) async -> (successes: Int, failures: [StoreError.Code: Int]) {
        await withTaskGroup(of: StoreError.Code?.self) { group in
            for name in names {
                group.addTask {
                    do {
                        _ = try await store.enrollAgent(
                            secretHash: StoreFixture.hash("s"), agent: StoreFixture.agent(name), now: StoreFixture.at(1))
                        return nil
                    } catch let error as StoreError {
                        return error.code
                    } catch {
                        return .conflict
                    }
                }
            }
            var successes = 0
            var failures: [StoreError.Code: Int] = [:]
            for await outcome in group {
                if let outcome {
                    failures[outcome, default: 0] += 1
                } else {
                    successes += 1
                }
            }
            return (successes, failures)
        }
    }
}
