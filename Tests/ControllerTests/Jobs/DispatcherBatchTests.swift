import Foundation
import StewardProtocol
import Testing
@testable import StewardController

@Suite("Dispatcher batches, error budget and cancel", .timeLimit(.minutes(1)))
struct DispatcherBatchTests {
    @Test func batchSizeOneOffersOneAgentAtATime() async throws {
        let names = ["a", "b", "c"]
        let harness = try await DispatcherHarness(agents: names)
        var sessions: [String: RecordingSession] = [:]
        for name in names { sessions[name] = await harness.attach(name) }

        let job = try await harness.submit(batch: .count(1))
        var order: [String] = []
        for _ in names {
            let statuses = try await harness.statuses(job)
            let offered = statuses.filter { $0.value == .offered }.map(\.key)
            #expect(offered.count == 1, "exactly one run in flight: \(statuses)")
            let agentID = try #require(offered.first)
            let name = String(agentID.dropFirst("agent-".count))
            order.append(name)
            try await harness.accept(job, by: name)
            #expect(try await harness.statuses(job).values.filter { $0 == .offered || $0 == .running }.count == 1)
            try await harness.finish(job, by: name)
        }
        #expect(order == names)  // runs are taken in agent-id order
        #expect(names.map { sessions[$0]?.offers.count } == [1, 1, 1])
        #expect(try await harness.statuses(job).values.allSatisfy { $0 == .succeeded })
        #expect(try await harness.database.job(id: job.id).status == .finished)
    }

    @Test func aPercentageBatchResolvesAgainstTheTargets() async throws {
        let names = ["a", "b", "c", "d"]
        let harness = try await DispatcherHarness(agents: names)
        for name in names { await harness.attach(name) }
        let job = try await harness.submit(batch: .percent(50))
        #expect(try await harness.statuses(job).values.filter { $0 == .offered }.count == 2)
    }

    @Test func maxErrorsZeroSkipsTheRestAfterOneFailure() async throws {
        let names = ["a", "b", "c"]
        let harness = try await DispatcherHarness(agents: names)
        var sessions: [String: RecordingSession] = [:]
        for name in names { sessions[name] = await harness.attach(name) }

        let job = try await harness.submit(batch: .count(1), maxErrors: .count(0))
        #expect(try await harness.status(job, "a") == .offered)
        try await harness.finish(job, by: "a", status: .failed, exitCode: 1)

        #expect(try await harness.statuses(job) == ["agent-a": .failed, "agent-b": .skipped, "agent-c": .skipped])
        let skipped = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-b"))
        #expect(skipped.error == "skipped: 1 failures exceed max errors 0")
        #expect(sessions["b"]?.offers.isEmpty == true)
        #expect(sessions["c"]?.offers.isEmpty == true)
        #expect(try await harness.database.job(id: job.id).status == .finished)
    }

    @Test func failuresWithinTheBudgetKeepTheJobGoing() async throws {
        let names = ["a", "b", "c"]
        let harness = try await DispatcherHarness(agents: names)
        for name in names { await harness.attach(name) }
        let job = try await harness.submit(batch: .count(1), maxErrors: .count(1))

        try await harness.finish(job, by: "a", status: .timedOut)
        #expect(try await harness.status(job, "b") == .offered)
        try await harness.finish(job, by: "b", status: .failed, exitCode: 2)
        #expect(try await harness.status(job, "c") == .skipped)
    }

    @Test func cancelEndsQueuedRunsAndAsksRunningAgentsToStop() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1", "db-1"])
        let web1 = await harness.attach("web-1")
        let job = try await harness.submit()
        try await harness.accept(job, by: "web-1")

        let returned = try await harness.dispatcher.cancel(jobID: job.id, by: "bob")
        #expect(returned.id == job.id)
        #expect(web1.cancelledJobIDs == [job.id])
        let queued = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-db-1"))
        #expect(queued.status == .cancelled)
        #expect(queued.error == "cancelled by bob before it started")
        #expect(try await harness.status(job, "web-1") == .running)
        #expect(try await harness.database.job(id: job.id).status == .running)

        try await harness.finish(job, by: "web-1", status: .cancelled)
        #expect(try await harness.status(job, "web-1") == .cancelled)
        #expect(try await harness.database.job(id: job.id).status == .finished)

        // The agent that was away is not offered the cancelled job when it comes back.
        let db1 = try await harness.connect("db-1")
        #expect(db1.offers.isEmpty)
    }

    @Test func anOfferLeftWithAnAgentThatWentAwayIsNotReofferedAfterCancel() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        let before = await harness.attach("web-1")
        let job = try await harness.submit(["reboot"])
        #expect(before.offers.count == 1)
        await harness.disconnect("web-1")
        #expect(try await harness.status(job, "web-1") == .offered)

        _ = try await harness.dispatcher.cancel(jobID: job.id, by: "bob")
        #expect(try await harness.status(job, "web-1") == .cancelled)

        // It reconnects without having seen the offer: it must not be told to reboot.
        let after = try await harness.connect("web-1")
        #expect(after.offers.isEmpty)
        #expect(try await harness.database.job(id: job.id).status == .finished)
    }

    @Test func cancellingAFinishedJobChangesNothing() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        let session = await harness.attach("web-1")
        let job = try await harness.submit()
        try await harness.finish(job, by: "web-1")

        _ = try await harness.dispatcher.cancel(jobID: job.id, by: "bob")
        #expect(session.cancelledJobIDs.isEmpty)
        #expect(try await harness.status(job, "web-1") == .succeeded)
    }

    @Test func cancellingAnUnknownJobIsNotFound() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        await #expect {
            try await harness.dispatcher.cancel(jobID: "01NOSUCHJOB000000000000000", by: "bob")
        } throws: { error in
            (error as? StoreError)?.code == .notFound
        }
    }
}
