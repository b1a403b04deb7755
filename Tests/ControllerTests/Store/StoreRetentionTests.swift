import Foundation
import Testing
@testable import StewardController

@Suite("Store retention", .timeLimit(.minutes(1)))
struct StoreRetentionTests {
    /// J1 (old, finished, with output), J2 (old, still running), J3 (recent, finished).
    private func storeWithJobs() async throws -> StewardDatabase {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        for (id, seconds) in [("J1", 0.0), ("J2", 10.0), ("J3", 1_000.0)] {
            try await store.createJob(StoreFixture.job(id, createdAt: StoreFixture.at(seconds)), agentIDs: ["agent-web-1"])
            try await store.appendOutput(jobID: id, agentID: "agent-web-1", stream: .stdout, offset: 0, data: Data("x".utf8))
        }
        for id in ["J1", "J3"] {
            try await store.finishRun(jobID: id, agentID: "agent-web-1", result: RunResult(status: .succeeded, finishedAt: StoreFixture.at(1_001)))
            try await store.finishJobIfDone(jobID: id, at: StoreFixture.at(1_002))
        }
        return store
    }

    @Test func pruningDeletesOldFinishedJobsWithTheirRunsAndOutput() async throws {
        let store = try await storeWithJobs()
        #expect(try await store.pruneJobs(olderThan: StoreFixture.at(500)) == 1)
        #expect(try await store.recentJobs(limit: 10).map(\.id) == ["J3", "J2"])
        #expect(try await store.runs(jobID: "J1").isEmpty)
        #expect(try await StoreFixture.count("runs", in: store) == 2)
        #expect(try await StoreFixture.count("output_chunks", in: store) == 2)
        #expect(try await store.agent(id: "agent-web-1") != nil)
    }

    @Test func pruningOutputKeepsTheHistory() async throws {
        let store = try await storeWithJobs()
        #expect(try await store.pruneOutput(olderThan: StoreFixture.at(500)) == 1)
        #expect(try await store.output(jobID: "J1").isEmpty)
        #expect(try await store.output(jobID: "J2").count == 1)
        #expect(try await store.history(agentID: "agent-web-1").map(\.jobID) == ["J3", "J2", "J1"])
    }
}
