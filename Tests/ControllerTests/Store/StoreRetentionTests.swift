import Foundation
import Logging
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

    @Test func pruningWorksInBatchesAndGetsEverything() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        for index in 0..<7 {
            let id = "J\(index)"
            try await store.createJob(StoreFixture.job(id, createdAt: StoreFixture.at(Double(index))), agentIDs: ["agent-web-1"])
            for offset in 0..<3 {
                try await store.appendOutput(jobID: id, agentID: "agent-web-1", stream: .stdout, offset: Int64(offset), data: Data("x".utf8))
            }
            try await store.finishRun(jobID: id, agentID: "agent-web-1", result: RunResult(status: .succeeded, finishedAt: StoreFixture.at(100)))
            try await store.finishJobIfDone(jobID: id, at: StoreFixture.at(100))
        }
        #expect(try await store.pruneOutput(olderThan: StoreFixture.at(5), batchSize: 2) == 15, "5 jobs × 3 chunks, 2 jobs a batch")
        #expect(try await StoreFixture.count("output_chunks", in: store) == 6)
        #expect(try await store.pruneJobs(olderThan: StoreFixture.at(6), batchSize: 2) == 6, "3 full batches, then an empty one")
        #expect(try await store.recentJobs(limit: 10).map(\.id) == ["J6"])
        #expect(try await StoreFixture.count("runs", in: store) == 1)
        #expect(try await StoreFixture.count("output_chunks", in: store) == 3)
    }

    @Test func outputPruningStartsWhereTheLastSweepEnded() async throws {
        let store = try await storeWithJobs()
        // J1 was created at 0 s: a sweep that already went up to 1 s does not look at it again.
        #expect(try await store.pruneOutput(olderThan: StoreFixture.at(500), since: StoreFixture.at(1)) == 0)
        #expect(try await store.pruneOutput(olderThan: StoreFixture.at(2_000), since: StoreFixture.at(1)) == 1, "J3; J2 still runs")
        #expect(try await store.output(jobID: "J1").count == 1)
        #expect(try await store.output(jobID: "J2").count == 1)
    }

    @Test func theSweepAppliesBothRetentionsAndForeverKeepsEverything() async throws {
        let store = try await storeWithJobs()
        let quiet = Logger(label: "test.retention", factory: { _ in SwiftLogNoOpLogHandler() })
        // "Now" is 2,000 s: jobs older than 1,500 s go (J1; J2 still runs), output older than 1,900 s goes (J3's).
        let sweep = RetentionSweep(
            database: store, jobRetention: .seconds(1_500), outputRetention: .seconds(100), logger: quiet,
            now: { StoreFixture.at(2_000) })
        let swept = try await sweep.sweep()
        #expect(swept == RetentionSweep.Swept(jobs: 1, outputChunks: 1))
        #expect(try await store.recentJobs(limit: 10).map(\.id) == ["J3", "J2"])
        #expect(try await store.output(jobID: "J3").isEmpty)
        #expect(try await store.output(jobID: "J2").count == 1, "a running job keeps its output")
        #expect(try await store.history(agentID: "agent-web-1").map(\.jobID) == ["J3", "J2"])

        let forever = RetentionSweep(database: store, jobRetention: nil, outputRetention: nil, logger: quiet, now: { StoreFixture.at(1e9) })
        #expect(try await forever.sweep() == RetentionSweep.Swept(jobs: 0, outputChunks: 0))
    }
}
