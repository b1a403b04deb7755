import Foundation
import GRDB
import Testing
@testable import StewardController

@Suite("Store group commit", .timeLimit(.minutes(1)))
struct StoreGroupCommitTests {
    /// A file database (WAL, fsync on commit), as the controller runs it.
    private func fileDatabase() throws -> (StewardDatabase, URL) {
        let directory = try StoreFixture.temporaryDirectory()
        return (try StewardDatabase.open(path: directory.appendingPathComponent("steward.db").path), directory)
    }

    @Test func concurrentWritesShareTransactionsAndAllLand() async throws {
        let (store, directory) = try fileDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let names = (0..<200).map { "host-\($0)" }
        for name in names { try await store.insertAgent(StoreFixture.agent(name)) }
        let before = store.grouped.totals

        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, name) in names.enumerated() {
                group.addTask { try await store.touchAgent(id: "agent-\(name)", lastSeen: StoreFixture.at(Double(index))) }
            }
            try await group.waitForAll()
        }

        let after = store.grouped.totals
        #expect(after.writes - before.writes == 200)
        // 200 writes issued at once cannot each need their own commit.
        #expect(after.transactions - before.transactions < 200)
        let seen = try await store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM agents WHERE last_seen_at IS NOT NULL") ?? -1
        }
        #expect(seen == 200)
    }

    @Test func aFailingWriteRollsBackAloneAndTheOthersCommit() async throws {
        let store = try await StoreFixture.databaseWithJob()
        let results = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for agent in ["agent-web-1", "agent-nobody", "agent-web-2"] {
                group.addTask {
                    do {
                        return (agent, try await store.finishRun(
                            jobID: "01JOBAAAAAAAAAAAAAAAAAAAAA", agentID: agent,
                            result: RunResult(status: .succeeded, exitCode: 0, finishedAt: StoreFixture.at(5))))
                    } catch let error as StoreError where error.code == .notFound {
                        return (agent, false)
                    }
                }
            }
            return try await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(results == ["agent-web-1": true, "agent-nobody": false, "agent-web-2": true])
        let statuses = try await store.runs(jobID: "01JOBAAAAAAAAAAAAAAAAAAAAA").map(\.status)
        #expect(statuses.sorted { $0.rawValue < $1.rawValue } == [.queued, .succeeded, .succeeded])
    }

    @Test func aWriteThatThrowsInsideABatchLeavesNoTrace() async throws {
        let store = try await StoreFixture.databaseWithJob()
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await store.grouped.write { db in
                try db.execute(sql: "UPDATE agents SET last_seen_at = 1")
                throw Refused()
            }
        }
        let touched = try await store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM agents WHERE last_seen_at IS NOT NULL") ?? -1
        }
        #expect(touched == 0)
    }

    @Test func concurrentClaimsOfTheSameRunsHandEachRunOutOnce() async throws {
        let store = try StoreFixture.database()
        let agents = (0..<50).map { "agent-h\($0)" }
        for index in 0..<50 { try await store.insertAgent(StoreFixture.agent("h\(index)")) }
        try await store.createJob(StoreFixture.job("01JOBAAAAAAAAAAAAAAAAAAAAA"), agentIDs: agents)

        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await store.claimQueuedRuns(jobID: "01JOBAAAAAAAAAAAAAAAAAAAAA", agentIDs: agents, at: StoreFixture.at(1))
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == 50)
        #expect(Set(all) == Set(agents))
        #expect(try await store.queuedAgentIDs(jobID: "01JOBAAAAAAAAAAAAAAAAAAAAA").isEmpty)
        let statuses = try await store.runs(jobID: "01JOBAAAAAAAAAAAAAAAAAAAAA").map(\.status)
        #expect(statuses == Array(repeating: .offered, count: 50))
    }

    @Test func claimsStopAtTheBatchSizeCountedInTheSameTransaction() async throws {
        let store = try StoreFixture.database()
        let agents = (0..<10).map { "agent-h\($0)" }
        for index in 0..<10 { try await store.insertAgent(StoreFixture.agent("h\(index)")) }
        try await store.createJob(StoreFixture.job("01JOBAAAAAAAAAAAAAAAAAAAAA"), agentIDs: agents)
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await store.claimQueuedRuns(
                        jobID: "01JOBAAAAAAAAAAAAAAAAAAAAA", agentIDs: agents.shuffled(), batchSize: 4, at: StoreFixture.at(1))
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(claims.map(\.count).reduce(0, +) == 4)
        #expect(try await store.queuedAgentIDs(jobID: "01JOBAAAAAAAAAAAAAAAAAAAAA").count == 6)
    }

    @Test func theLastResultFinishesTheJobInTheSameWrite() async throws {
        let store = try await StoreFixture.databaseWithJob()
        let job = "01JOBAAAAAAAAAAAAAAAAAAAAA"
        var finishes: [RunFinish] = []
        for agent in ["agent-web-1", "agent-web-2", "agent-db-1", "agent-db-1"] {
            finishes.append(try await store.recordResult(
                jobID: job, agentID: agent, result: RunResult(status: .failed, exitCode: 1, finishedAt: StoreFixture.at(9)),
                at: StoreFixture.at(10)))
        }
        #expect(finishes.map(\.recorded) == [true, true, true, false])
        #expect(finishes.map(\.jobFinished) == [false, false, true, false])
        let stored = try await store.job(id: job)
        #expect(stored.status == .finished)
        #expect(stored.finishedAt == StoreFixture.at(10))
        #expect(try await store.failureCount(jobID: job) == 3)
    }
}
