import Foundation
import Testing
@testable import StewardController

@Suite("Store runs", .timeLimit(.minutes(1)))
struct StoreRunTests {
    private let web1 = "agent-web-1"

    @Test func transitionsStampTheirTimes() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        #expect(try await store.setRunStatus(jobID: "J1", agentID: web1, to: .offered, from: [.queued], at: StoreFixture.at(1)))
        #expect(try await store.setRunStatus(jobID: "J1", agentID: web1, to: .running, from: [.offered], at: StoreFixture.at(2)))
        #expect(try await store.setRunStatus(jobID: "J1", agentID: web1, to: .rebooting, from: [.running], at: StoreFixture.at(3)))
        #expect(try await store.setRunStatus(jobID: "J1", agentID: web1, to: .running, from: [.rebooting], at: StoreFixture.at(4)))
        let run = try #require(try await store.run(jobID: "J1", agentID: web1))
        #expect(run.status == .running)
        #expect(run.offeredAt == StoreFixture.at(1))
        #expect(run.startedAt == StoreFixture.at(2)) // the first start is kept across the reboot
        #expect(run.finishedAt == nil)
    }

    @Test func refusesTransitionsFromStatesNotAllowed() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        #expect(try await store.setRunStatus(jobID: "J1", agentID: web1, to: .running, from: [.offered], at: StoreFixture.at(1)) == false)
        #expect(try await store.setRunStatus(jobID: "J1", agentID: web1, to: .running, from: [], at: StoreFixture.at(1)) == false)
        #expect(try await store.setRunStatus(jobID: "J1", agentID: "ghost", to: .offered, from: [.queued], at: StoreFixture.at(1)) == false)
        #expect(try await store.run(jobID: "J1", agentID: web1)?.status == .queued)
    }

    @Test func neverLeavesAFinalStatusEvenWhenAllowed() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        #expect(try await store.setRunStatus(jobID: "J1", agentID: web1, to: .skipped, from: [.queued], at: StoreFixture.at(1)))
        #expect(try await store.setRunStatus(
            jobID: "J1", agentID: web1, to: .running, from: Set(RunStatus.allCases), at: StoreFixture.at(2)) == false)
        let run = try #require(try await store.run(jobID: "J1", agentID: web1))
        #expect(run.status == .skipped)
        #expect(run.finishedAt == StoreFixture.at(1))
    }

    @Test func theFirstFinalResultWinsAndReplaysChangeNothing() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        let result = RunResult(
            status: .failed, exitCode: 3, error: "boom", structured: Data(#"{"a":1}"#.utf8),
            startedAt: StoreFixture.at(1), finishedAt: StoreFixture.at(2), truncated: true)
        #expect(try await store.finishRun(jobID: "J1", agentID: web1, result: result))
        #expect(try await store.finishRun(jobID: "J1", agentID: web1, result: result) == false)
        let late = RunResult(status: .succeeded, exitCode: 0, finishedAt: StoreFixture.at(9))
        #expect(try await store.finishRun(jobID: "J1", agentID: web1, result: late) == false)

        let run = try #require(try await store.run(jobID: "J1", agentID: web1))
        #expect(run.status == .failed)
        #expect(run.exitCode == 3)
        #expect(run.error == "boom")
        #expect(run.structured == Data(#"{"a":1}"#.utf8))
        #expect(run.startedAt == StoreFixture.at(1))
        #expect(run.finishedAt == StoreFixture.at(2))
        #expect(run.truncated)
    }

    @Test func aResultKeepsTheRecordedStartTime() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        try await store.setRunStatus(jobID: "J1", agentID: web1, to: .running, from: [.queued], at: StoreFixture.at(5))
        try await store.finishRun(jobID: "J1", agentID: web1, result: RunResult(
            status: .succeeded, exitCode: 0, startedAt: StoreFixture.at(4), finishedAt: StoreFixture.at(7)))
        #expect(try await store.run(jobID: "J1", agentID: web1)?.startedAt == StoreFixture.at(5))
    }

    @Test func finishingRejectsUnknownRunsAndNonFinalStatuses() async throws {
        let store = try await StoreFixture.databaseWithJob("J1")
        let unknown = await #expect(throws: StoreError.self) {
            try await store.finishRun(jobID: "J9", agentID: web1, result: RunResult(status: .succeeded, finishedAt: StoreFixture.t0))
        }
        let notFinal = await #expect(throws: StoreError.self) {
            try await store.finishRun(jobID: "J1", agentID: web1, result: RunResult(status: .running, finishedAt: StoreFixture.t0))
        }
        #expect(unknown?.code == .notFound)
        #expect(notFinal?.code == .invalidArgument)
        #expect(try await store.run(jobID: "J1", agentID: web1)?.status == .queued)
    }

    @Test func pendingRunsAreInFlightRunsOfRunningJobsOldestFirst() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        try await store.insertAgent(StoreFixture.agent("web-2"))
        try await store.createJob(StoreFixture.job("J3", createdAt: StoreFixture.at(30)), agentIDs: [web1])
        try await store.createJob(StoreFixture.job("J1", createdAt: StoreFixture.at(10)), agentIDs: [web1])
        try await store.createJob(StoreFixture.job("J2", createdAt: StoreFixture.at(20)), agentIDs: [web1, "agent-web-2"])
        try await store.createJob(StoreFixture.job("J4", createdAt: StoreFixture.at(40)), agentIDs: [web1])
        try await store.createJob(StoreFixture.job("J5", createdAt: StoreFixture.at(50)), agentIDs: ["agent-web-2"])
        try await store.setRunStatus(jobID: "J2", agentID: web1, to: .running, from: [.queued], at: StoreFixture.at(21))
        try await store.finishRun(jobID: "J3", agentID: web1, result: RunResult(status: .succeeded, finishedAt: StoreFixture.at(31)))
        _ = try await store.cancelJob(jobID: "J4", at: StoreFixture.at(41))

        let pending = try await store.pendingRuns(agentID: web1)
        #expect(pending.map(\.jobID) == ["J1", "J2"])
        #expect(pending.map(\.status) == [.queued, .running])
    }

    @Test func expiresOnlyUndeliveredRunsPastTheirDeadline() async throws {
        let store = try StoreFixture.database()
        for name in ["web-1", "web-2", "web-3"] {
            try await store.insertAgent(StoreFixture.agent(name))
        }
        let all = ["agent-web-1", "agent-web-2", "agent-web-3"]
        try await store.createJob(StoreFixture.job("J1", deadline: StoreFixture.at(100)), agentIDs: all)
        try await store.createJob(StoreFixture.job("J2", deadline: StoreFixture.at(200)), agentIDs: all)
        try await store.setRunStatus(jobID: "J1", agentID: "agent-web-2", to: .offered, from: [.queued], at: StoreFixture.at(1))
        try await store.setRunStatus(jobID: "J1", agentID: "agent-web-3", to: .running, from: [.queued], at: StoreFixture.at(1))

        #expect(try await store.expireUndelivered(now: StoreFixture.at(99)).isEmpty)
        let expired = try await store.expireUndelivered(now: StoreFixture.at(100))
        #expect(expired == [RunKey(jobID: "J1", agentID: "agent-web-1"), RunKey(jobID: "J1", agentID: "agent-web-2")])
        #expect(try await store.runs(jobID: "J1").map(\.status) == [.undelivered, .undelivered, .running])
        #expect(try await store.run(jobID: "J1", agentID: "agent-web-1")?.finishedAt == StoreFixture.at(100))
        #expect(try await store.runs(jobID: "J2").allSatisfy { $0.status == .queued })
        #expect(try await store.expireUndelivered(now: StoreFixture.at(150)).isEmpty)
    }

    @Test func findsRunsPastTheirTimeout() async throws {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        try await store.insertAgent(StoreFixture.agent("web-2"))
        try await store.createJob(StoreFixture.job("J1", timeoutMs: 10_000), agentIDs: [web1, "agent-web-2"])
        try await store.setRunStatus(jobID: "J1", agentID: web1, to: .running, from: [.queued], at: StoreFixture.at(0))
        try await store.setRunStatus(jobID: "J1", agentID: "agent-web-2", to: .running, from: [.queued], at: StoreFixture.at(5))

        #expect(try await store.runsNeedingTimeout(now: StoreFixture.at(9.999)).isEmpty)
        #expect(try await store.runsNeedingTimeout(now: StoreFixture.at(10)).map(\.agentID) == [web1])
        #expect(try await store.runsNeedingTimeout(now: StoreFixture.at(15)).map(\.agentID) == [web1, "agent-web-2"])
        try await store.finishRun(jobID: "J1", agentID: web1, result: RunResult(status: .timedOut, finishedAt: StoreFixture.at(16)))
        #expect(try await store.runsNeedingTimeout(now: StoreFixture.at(20)).map(\.agentID) == ["agent-web-2"])
    }
}
