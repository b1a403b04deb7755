import Foundation
import StewardProtocol
import Testing
@testable import StewardController

/// `max_jobs_per_agent` and `max_output_per_run`: extra runs wait queued, extra output is dropped and flagged.
@Suite("Dispatcher limits", .timeLimit(.minutes(1)))
struct DispatcherLimitsTests {
    static func limits(jobsPerAgent: Int = 32, outputPerRun: Int64 = 16 << 20) -> ControllerLimits {
        var limits = ControllerLimits()
        limits.maxJobsPerAgent = jobsPerAgent
        limits.maxOutputPerRun = outputPerRun
        return limits
    }

    @Test func runsPastAnAgentsJobSlotsWaitQueuedAndStartAsSlotsFree() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1", "web-2"], limits: Self.limits(jobsPerAgent: 2))
        let web1 = await harness.attach("web-1")
        let web2 = await harness.attach("web-2")
        var jobs: [JobRecord] = []
        for _ in 0..<4 { jobs.append(try await harness.submit(target: "web-1")) }
        let other = try await harness.submit(target: "web-2")

        #expect(web1.offers.count == 2, "two slots, two offers")
        #expect(try await harness.status(jobs[0], "web-1") == .offered)
        #expect(try await harness.status(jobs[1], "web-1") == .offered)
        #expect(try await harness.status(jobs[2], "web-1") == .queued)
        #expect(try await harness.status(jobs[3], "web-1") == .queued)
        #expect(web2.offers.count == 1, "another agent's slots are its own")
        #expect(try await harness.status(other, "web-2") == .offered)

        // A running run still holds its slot; its result frees it, and the oldest waiting job goes next.
        try await harness.accept(jobs[0], by: "web-1")
        #expect(web1.offers.count == 2)
        try await harness.finish(jobs[0], by: "web-1")
        #expect(web1.offers.count == 3)
        #expect(try await harness.status(jobs[2], "web-1") == .offered)
        #expect(try await harness.status(jobs[3], "web-1") == .queued)

        try await harness.finish(jobs[1], by: "web-1")
        try await harness.finish(jobs[2], by: "web-1")
        try await harness.finish(jobs[3], by: "web-1")
        #expect(web1.offers.count == 4, "each run offered exactly once")
        #expect(Set(web1.offers.compactMap { try? harness.verify($0, as: "web-1").jobID }) == Set(jobs.map(\.id)))
        for job in jobs { #expect(try await harness.database.job(id: job.id).status == .finished) }
    }

    @Test func aWaitingRunExpiresAtItsDeliveryDeadlineLikeOneForAnOfflineAgent() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"], limits: Self.limits(jobsPerAgent: 1))
        let web1 = await harness.attach("web-1")
        let busy = try await harness.submit(target: "web-1")
        let waiting = try await harness.submit(target: "web-1", deliveryWindow: .seconds(30))
        #expect(try await harness.status(waiting, "web-1") == .queued)

        harness.clock.advance(seconds: 31)
        try await harness.dispatcher.tick()
        #expect(try await harness.status(waiting, "web-1") == .undelivered)
        try await harness.finish(busy, by: "web-1")
        #expect(web1.offers.count == 1, "the expired run is not offered when the slot frees")
    }

    @Test func anAgentThatReconnectsGetsOnlyAsManyRunsAsItHasSlots() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"], limits: Self.limits(jobsPerAgent: 3))
        var jobs: [JobRecord] = []
        for _ in 0..<5 { jobs.append(try await harness.submit(target: "web-1")) }
        let web1 = try await harness.connect("web-1")
        #expect(web1.offers.count == 3)
        var queued = 0
        for job in jobs where try await harness.status(job, "web-1") == .queued { queued += 1 }
        #expect(queued == 2)
    }

    @Test func outputPastTheRunCapIsAcknowledgedDroppedAndTheRunMarkedTruncated() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"], limits: Self.limits(outputPerRun: 10))
        _ = await harness.attach("web-1")
        let job = try await harness.submit(target: "web-1")

        let first = try await harness.send(DispatcherHarness.output(jobID: job.id, offset: 0, "abcdef"), from: "web-1")
        let second = try await harness.send(DispatcherHarness.output(jobID: job.id, offset: 6, "ghijkl"), from: "web-1")
        let third = try await harness.send(DispatcherHarness.output(jobID: job.id, stream: .stderr, offset: 0, "oops"), from: "web-1")
        // Every chunk is acknowledged to its end, so the agent never sends it again.
        #expect(Self.ackedOffsets(first + second + third) == [6, 12, 4])
        let stored = try await harness.database.output(jobID: job.id)
        #expect(stored.map { String(decoding: $0.data, as: UTF8.self) } == ["abcdef", "ghij"])
        #expect(try await harness.database.run(jobID: job.id, agentID: "agent-web-1")?.truncated == true)

        // The agent's own result says nothing was truncated on its side; the controller's flag stays.
        try await harness.finish(job, by: "web-1")
        let run = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-web-1"))
        #expect(run.truncated)
        #expect(run.stdoutBytes + run.stderrBytes == 10)
    }

    @Test func outputWithinTheCapIsNotFlagged() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"], limits: Self.limits(outputPerRun: 10))
        _ = await harness.attach("web-1")
        let job = try await harness.submit(target: "web-1")
        try await harness.send(DispatcherHarness.output(jobID: job.id, offset: 0, "0123456789"), from: "web-1")
        try await harness.finish(job, by: "web-1")
        let run = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-web-1"))
        #expect(!run.truncated)
        #expect(run.stdoutBytes == 10)
    }

    static func ackedOffsets(_ replies: [StewardMessage]) -> [UInt64] {
        replies.compactMap { if case .outputAck(let ack) = $0 { ack.offset } else { nil } }
    }
}
