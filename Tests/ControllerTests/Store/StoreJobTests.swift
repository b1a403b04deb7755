import Foundation
import Testing
@testable import StewardController

@Suite("Store jobs", .timeLimit(.minutes(1)))
struct StoreJobTests {
    @Test func createsAJobWithOneQueuedRunPerDistinctAgent() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        try await store.insertAgent(StoreFixture.agent("web-2"))
        let job = StoreFixture.job("01HZZZZZZZZZZZZZZZZZZZZZZZ")
        try await store.createJob(job, agentIDs: ["agent-web-2", "agent-web-1", "agent-web-2"])
        #expect(try await store.job(id: job.id) == job)
        let runs = try await store.runs(jobID: job.id)
        #expect(runs.map(\.agentID) == ["agent-web-1", "agent-web-2"])
        #expect(runs.allSatisfy { $0.status == .queued && $0.createdAt == job.createdAt })
    }

    @Test func anUnknownAgentRollsTheWholeJobBack() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        let error = await #expect(throws: StoreError.self) {
            try await store.createJob(StoreFixture.job("J1"), agentIDs: ["agent-web-1", "ghost"])
        }
        #expect(error?.code == .notFound)
        #expect(try await StoreFixture.count("jobs", in: store) == 0)
        #expect(try await StoreFixture.count("runs", in: store) == 0)
    }

    @Test func refusesADuplicateJobID() async throws {
        let store = try StoreFixture.database()
        try await store.createJob(StoreFixture.job("J1"), agentIDs: [])
        let error = await #expect(throws: StoreError.self) {
            try await store.createJob(StoreFixture.job("J1"), agentIDs: [])
        }
        #expect(error?.code == .conflict)
    }

    @Test func findsJobsByUniquePrefixCaseInsensitively() async throws {
        let store = try StoreFixture.database()
        try await store.createJob(StoreFixture.job("01HAAAAAAA0000000000000001"), agentIDs: [])
        try await store.createJob(StoreFixture.job("01HAAAAAAA0000000000000002"), agentIDs: [])
        try await store.createJob(StoreFixture.job("01HBBBBBBB0000000000000003"), agentIDs: [])

        #expect(try await store.job(id: "01HBBB").id == "01HBBBBBBB0000000000000003")
        #expect(try await store.job(id: "01hbbbbb").id == "01HBBBBBBB0000000000000003")
        #expect(try await store.job(id: "01HAAAAAAA0000000000000002").id == "01HAAAAAAA0000000000000002")
    }

    @Test(arguments: [
        ("01HAAA", StoreError.Code.ambiguous),
        ("01HAA", .notFound), // too short to be used as a prefix
        ("01HCCC", .notFound),
        ("01HA%%", .notFound), // LIKE wildcards are not special
        ("", .notFound),
        ("01HAAAAAAA0000000000000009", .notFound),
    ])
    func rejectsAmbiguousShortOrUnknownIDs(id: String, expected: StoreError.Code) async throws {
        let store = try StoreFixture.database()
        try await store.createJob(StoreFixture.job("01HAAAAAAA0000000000000001"), agentIDs: [])
        try await store.createJob(StoreFixture.job("01HAAAAAAA0000000000000002"), agentIDs: [])
        let error = await #expect(throws: StoreError.self) { _ = try await store.job(id: id) }
        #expect(error?.code == expected)
    }

    @Test func listsRecentJobsNewestFirstWithACursor() async throws {
        let store = try StoreFixture.database()
        for index in 1...5 {
            try await store.createJob(StoreFixture.job("J\(index)"), agentIDs: [])
        }
        #expect(try await store.recentJobs(limit: 2).map(\.id) == ["J5", "J4"])
        #expect(try await store.recentJobs(limit: 2, before: "J4").map(\.id) == ["J3", "J2"])
        #expect(try await store.recentJobs(limit: -3).map(\.id) == ["J5"])
    }

    @Test func finishesAJobOnlyWhenNoRunIsInFlight() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        #expect(try await store.finishJobIfDone(jobID: "J1", at: StoreFixture.at(1)) == false)
        for agent in ["agent-web-1", "agent-web-2"] {
            try await store.finishRun(jobID: "J1", agentID: agent, result: RunResult(status: .succeeded, finishedAt: StoreFixture.at(2)))
        }
        #expect(try await store.finishJobIfDone(jobID: "J1", at: StoreFixture.at(3)) == false)
        try await store.finishRun(jobID: "J1", agentID: "agent-db-1", result: RunResult(status: .failed, finishedAt: StoreFixture.at(4)))
        #expect(try await store.finishJobIfDone(jobID: "J1", at: StoreFixture.at(5)))
        #expect(try await store.finishJobIfDone(jobID: "J1", at: StoreFixture.at(6)) == false)
        let job = try await store.job(id: "J1")
        #expect(job.status == .finished)
        #expect(job.finishedAt == StoreFixture.at(5))
    }

    @Test func cancellingEndsQueuedRunsAndReportsThoseInFlight() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        try await store.setRunStatus(jobID: "J1", agentID: "agent-web-1", to: .offered, from: [.queued], at: StoreFixture.at(1))
        let inFlight = try await store.cancelJob(jobID: "J1", at: StoreFixture.at(2))
        #expect(inFlight == [RunKey(jobID: "J1", agentID: "agent-web-1")])
        let statuses = try await store.runs(jobID: "J1").map(\.status)
        #expect(statuses == [.cancelled, .offered, .cancelled]) // db-1, web-1, web-2
        #expect(try await store.job(id: "J1").status == .cancelled)
        #expect(try await store.pendingRuns(agentID: "agent-web-1").isEmpty)
        #expect(try await store.cancelJob(jobID: "J1", at: StoreFixture.at(3)).isEmpty)
        let error = await #expect(throws: StoreError.self) { _ = try await store.cancelJob(jobID: "J9", at: StoreFixture.t0) }
        #expect(error?.code == .notFound)
    }
}
