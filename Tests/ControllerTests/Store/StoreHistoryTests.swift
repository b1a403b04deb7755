import Foundation
import GRDB
import Testing
@testable import StewardController

@Suite("Store history", .timeLimit(.minutes(3)))
struct StoreHistoryTests {
    private let web1 = "agent-web-1"

    /// web-1 ran jobs J01...J07 (one per minute, J04 and J05 in the same millisecond); web-2 ran J02 only.
    private func storeWithHistory() async throws -> StewardDatabase {
        let store = try StoreFixture.database()
        try await store.insertAgent(StoreFixture.agent("web-1"))
        try await store.insertAgent(StoreFixture.agent("web-2"))
        for index in 1...7 {
            let minute = index == 5 ? 4 : index
            let id = "J0\(index)"
            try await store.createJob(
                StoreFixture.job(id, createdAt: StoreFixture.at(Double(minute * 60)), command: "ping \(index)"),
                agentIDs: index == 2 ? [web1, "agent-web-2"] : [web1])
        }
        return store
    }

    @Test func listsAnAgentsRunsNewestFirstWithDetails() async throws {
        let store = try await storeWithHistory()
        try await store.setRunStatus(jobID: "J07", agentID: web1, to: .running, from: [.queued], at: StoreFixture.at(421))
        try await store.finishRun(jobID: "J07", agentID: web1, result: RunResult(
            status: .failed, exitCode: 2, finishedAt: StoreFixture.at(423.5)))

        let rows = try await store.history(agentID: web1, limit: 3)
        #expect(rows.map(\.jobID) == ["J07", "J06", "J05"])
        let latest = try #require(rows.first)
        #expect(latest.status == .failed)
        #expect(latest.exitCode == 2)
        #expect(latest.commandText == "ping 7")
        #expect(latest.requestedBy == "alice")
        #expect(latest.source == .chat)
        #expect(latest.createdAt == StoreFixture.at(420))
        #expect(latest.duration == .milliseconds(2_500))
        #expect(rows[1].duration == nil)
        #expect(try await store.history(agentID: "agent-web-2").map(\.jobID) == ["J02"])
        #expect(try await store.history(agentID: "ghost").isEmpty)
    }

    @Test func pagesWithAJobIDCursorWithoutGapsOrRepeats() async throws {
        let store = try await storeWithHistory()
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await store.history(agentID: web1, limit: 2, before: cursor)
            #expect(page.count <= 2)
            seen += page.map(\.jobID)
            cursor = page.count == 2 ? page.last?.jobID : nil
        } while cursor != nil
        #expect(seen == ["J07", "J06", "J05", "J04", "J03", "J02", "J01"])
    }

    @Test func rejectsACursorThisAgentNeverRan() async throws {
        let store = try await storeWithHistory()
        let error = await #expect(throws: StoreError.self) {
            _ = try await store.history(agentID: "agent-web-2", limit: 5, before: "J03")
        }
        #expect(error?.code == .notFound)
    }

    @Test(arguments: [nil, "J03"])
    func theQueryPlanWalksTheAgentIndexWithoutSorting(cursor: String?) async throws {
        let store = try await storeWithHistory()
        let plan = try await Self.queryPlan(of: store, agentID: web1, before: cursor)
        let runsStep = try #require(plan.first { $0.contains("runs") })
        #expect(runsStep.contains("USING INDEX runs_on_agent_created") || runsStep.contains("USING COVERING INDEX runs_on_agent_created"))
        #expect(runsStep.hasPrefix("SEARCH"))
        #expect(plan.contains { $0.contains("TEMP B-TREE") } == false)
    }

    /// The `detail` lines of `EXPLAIN QUERY PLAN` for the history query.
    static func queryPlan(of store: StewardDatabase, agentID: String, before: String?) async throws -> [String] {
        try await store.writer.read { db in
            let request = try StewardDatabase.historyRequest(agentID: agentID, limit: 20, before: before, db)
            let statement = try request.makePreparedRequest(db, forSingleResult: false).statement
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments)
                .compactMap { $0["detail"] as String? }
        }
    }
}
