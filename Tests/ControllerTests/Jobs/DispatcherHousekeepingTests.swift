import Foundation
import StewardProtocol
import Testing
@testable import StewardController

@Suite("Dispatcher housekeeping and reconnects", .timeLimit(.minutes(1)))
struct DispatcherHousekeepingTests {
    @Test func tickExpiresUndeliveredRunsOnlyAfterTheDeliveryWindow() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1", "db-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit(deliveryWindow: .seconds(60))
        try await harness.finish(job, by: "web-1")

        harness.clock.advance(seconds: 59)
        try await harness.dispatcher.tick()
        #expect(try await harness.status(job, "db-1") == .queued)
        #expect(try await harness.database.job(id: job.id).status == .running)

        harness.clock.advance(seconds: 1)
        try await harness.dispatcher.tick()
        let run = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-db-1"))
        #expect(run.status == .undelivered)
        #expect(run.finishedAt == DispatcherHarness.t0.addingTimeInterval(60))
        #expect(try await harness.database.job(id: job.id).status == .finished)

        let late = try await harness.connect("db-1")
        #expect(late.offers.isEmpty)
    }

    @Test func anOfferTheAgentNeverAcceptedAlsoExpires() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit(deliveryWindow: .seconds(30))
        harness.clock.advance(seconds: 31)
        try await harness.dispatcher.tick()
        #expect(try await harness.status(job, "web-1") == .undelivered)
    }

    @Test func runningRunsOfOfflineAgentsAreLostOnlyAfterTimeoutPlusGrace() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1", "db-1"], resultGrace: .seconds(300))
        _ = await harness.attach("web-1")
        _ = await harness.attach("db-1")
        let job = try await harness.submit(timeout: .seconds(60), deliveryWindow: .seconds(3_600))
        try await harness.accept(job, by: "web-1")
        try await harness.accept(job, by: "db-1")
        await harness.disconnect("db-1")  // web-1 stays connected and keeps its run

        harness.clock.advance(seconds: 359)
        try await harness.dispatcher.tick()
        #expect(try await harness.status(job, "db-1") == .running)

        harness.clock.advance(seconds: 1)
        try await harness.dispatcher.tick()
        let lost = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-db-1"))
        #expect(lost.status == .lost)
        #expect(lost.error == "the agent did not come back with a result")
        #expect(lost.finishedAt == DispatcherHarness.t0.addingTimeInterval(360))
        #expect(try await harness.status(job, "web-1") == .running)
        #expect(try await harness.database.job(id: job.id).status == .running)

        // The agent comes back after all: its late result is acknowledged and ignored.
        try await harness.finish(job, by: "db-1")
        #expect(try await harness.status(job, "db-1") == .lost)
    }

    @Test func runningRunsUnknownToAReconnectingAgentBecomeLost() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit()
        try await harness.accept(job, by: "web-1")
        await harness.disconnect("web-1")

        _ = try await harness.connect("web-1", active: ["01SOMEOTHERJOB000000000000"])
        let run = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-web-1"))
        #expect(run.status == .lost)
        #expect(run.error == "the agent reconnected without this job in its spool")
        #expect(try await harness.database.job(id: job.id).status == .finished)
    }

    @Test(arguments: [true, false])
    func runningRunsTheAgentStillHoldsStayRunning(spooled: Bool) async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit()
        try await harness.accept(job, by: "web-1")
        await harness.disconnect("web-1")

        let session = try await harness.connect(
            "web-1", active: spooled ? [] : [job.id], spooled: spooled ? [job.id] : [])
        #expect(try await harness.status(job, "web-1") == .running)
        #expect(session.offers.isEmpty)
    }

    @Test func anOfferTheReconnectingAgentDoesNotKnowIsSentAgain() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        let first = await harness.attach("web-1")
        let job = try await harness.submit()
        await harness.disconnect("web-1")

        harness.clock.advance(seconds: 5)
        let second = try await harness.connect("web-1")
        #expect(try await harness.status(job, "web-1") == .offered)
        let spec = try harness.verify(try #require(second.offers.first), as: "web-1")
        #expect(spec.jobID == job.id)
        #expect(first.offers.first?.spec != second.offers.first?.spec)  // fresh nonce and validity

        await harness.disconnect("web-1")
        let third = try await harness.connect("web-1", active: [job.id])
        #expect(third.offers.isEmpty)
    }

    @Test func aNewSessionReplacesTheOldOneWithAGoAway() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        let old = await harness.attach("web-1")
        let new = await harness.attach("web-1")
        #expect(old.goAwayReasons == ["replaced by a newer session"])
        #expect(new.goAwayReasons.isEmpty)
        #expect(await harness.registry.count == 1)
    }
}
