import Foundation
import StewardProtocol
import Testing
@testable import StewardController

@Suite("Dispatcher results and output", .timeLimit(.minutes(1)))
struct DispatcherResultTests {
    @Test func acceptanceStartsTheRunAndAResultFinishesRunAndJob() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit()

        try await harness.accept(job, by: "web-1", startedMs: 1_700_000_000_250)
        let running = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-web-1"))
        #expect(running.status == .running)
        #expect(running.startedAt == Date(timeIntervalSince1970: 1_700_000_000.25))

        let replies = try await harness.finish(job, by: "web-1", status: .succeeded, exitCode: 0)
        var ack = Wire.ResultAck()
        ack.jobID = job.id
        #expect(replies == [.resultAck(ack)])

        let run = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-web-1"))
        #expect(run.status == .succeeded)
        #expect(run.exitCode == 0)
        #expect(run.finishedAt == Date(timeIntervalSince1970: 1_700_000_001))
        let finished = try await harness.database.job(id: job.id)
        #expect(finished.status == .finished)
        #expect(finished.finishedAt == harness.clock.now)
    }

    @Test func aReplayedResultIsAcknowledgedButTheFirstFinalResultWins() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit()

        let first = try await harness.finish(job, by: "web-1", status: .failed, exitCode: 3)
        let replay = try await harness.finish(job, by: "web-1", status: .failed, exitCode: 3)
        let contradicting = try await harness.finish(job, by: "web-1", status: .succeeded, exitCode: 0)

        for replies in [first, replay, contradicting] {
            guard case .resultAck(let ack)? = replies.first, replies.count == 1 else {
                Issue.record("expected exactly one ResultAck, got \(replies)")
                continue
            }
            #expect(ack.jobID == job.id)
        }
        let run = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-web-1"))
        #expect(run.status == .failed)
        #expect(run.exitCode == 3)
    }

    @Test func aResultForAJobThatNoLongerExistsIsStillAcknowledged() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        let replies = try await harness.send(
            .jobResult(DispatcherHarness.result(jobID: "01PRUNEDJOB000000000000000", status: .succeeded)), from: "web-1")
        var ack = Wire.ResultAck()
        ack.jobID = "01PRUNEDJOB000000000000000"
        #expect(replies == [.resultAck(ack)])
    }

    @Test func aRejectionEndsTheRunAsRejectedWithCodeAndReason() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit(["reboot"])

        var rejected = Wire.JobRejected()
        rejected.jobID = job.id
        rejected.code = "policy_denied"
        rejected.reason = "reboot is not allowed on this host"
        #expect(try await harness.send(.jobRejected(rejected), from: "web-1").isEmpty)

        let run = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-web-1"))
        #expect(run.status == .rejected)
        #expect(run.error == "policy_denied: reboot is not allowed on this host")
        #expect(try await harness.database.job(id: job.id).status == .finished)

        // A later result for the rejected run is acknowledged and ignored.
        try await harness.finish(job, by: "web-1", status: .succeeded)
        #expect(try await harness.status(job, "web-1") == .rejected)
    }

    @Test func outputResentWithOtherChunkBoundariesIsStoredOnce() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit(["exec", "report"])
        let full = "hello world, again"

        // (offset, text, committed offset the ack must carry)
        let chunks: [(UInt64, String, UInt64)] = [
            (0, "hello ", 6),
            (6, "world", 11),
            (3, "lo wor", 11),      // entirely a replay
            (0, "hello world", 11), // a replay from the start
            (9, "ld, ag", 15),      // half replay, half new
            (15, "ain", 18),
            (15, "ain", 18),
        ]
        for (offset, text, committed) in chunks {
            let replies = try await harness.send(DispatcherHarness.output(jobID: job.id, offset: offset, text), from: "web-1")
            guard case .outputAck(let ack)? = replies.first, replies.count == 1 else {
                Issue.record("expected one OutputAck for offset \(offset), got \(replies)")
                continue
            }
            #expect(ack.jobID == job.id)
            #expect(ack.stream == .stdout)
            #expect(ack.offset == committed, "after chunk at \(offset)")
        }

        let stored = try await harness.database.output(jobID: job.id)
        #expect(String(decoding: stored.reduce(Data()) { $0 + $1.data }, as: UTF8.self) == full)
        #expect(stored.map(\.offset) == [0, 6, 11, 15])
        let run = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-web-1"))
        #expect(run.stdoutBytes == 18)
        #expect(run.stderrBytes == 0)
    }

    @Test func streamsAreCommittedIndependently() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit(["exec", "report"])

        _ = try await harness.send(DispatcherHarness.output(jobID: job.id, offset: 0, "out"), from: "web-1")
        let replies = try await harness.send(DispatcherHarness.output(jobID: job.id, stream: .stderr, offset: 0, "oops!"), from: "web-1")
        var ack = Wire.OutputAck()
        ack.jobID = job.id
        ack.stream = .stderr
        ack.offset = 5
        #expect(replies == [.outputAck(ack)])

        let run = try #require(try await harness.database.run(jobID: job.id, agentID: "agent-web-1"))
        #expect(run.stdoutBytes == 3)
        #expect(run.stderrBytes == 5)
    }

    @Test func anEmptyChunkStoresNothingAndAcksTheCommittedOffset() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit(["exec", "report"])
        _ = try await harness.send(DispatcherHarness.output(jobID: job.id, offset: 0, "abcd"), from: "web-1")

        let replies = try await harness.send(DispatcherHarness.output(jobID: job.id, offset: 4, ""), from: "web-1")
        guard case .outputAck(let ack)? = replies.first else {
            Issue.record("expected an OutputAck, got \(replies)")
            return
        }
        #expect(ack.offset == 4)
        #expect(try await harness.database.output(jobID: job.id).count == 1)
    }

    @Test func outputWithAnImpossibleOffsetIsRefusedWithoutStoringIt() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        _ = await harness.attach("web-1")
        let job = try await harness.submit(["exec", "report"])

        for offset in [UInt64.max, UInt64(Int64.max), UInt64(Int64.max) - 2] {
            await #expect {
                try await harness.send(DispatcherHarness.output(jobID: job.id, offset: offset, "abcd"), from: "web-1")
            } throws: { error in
                (error as? StoreError)?.code == .invalidArgument
            }
        }
        #expect(try await harness.database.output(jobID: job.id).isEmpty)
    }

    @Test func outputForARunThatDoesNotExistIsAcknowledgedAndDropped() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1", "db-1"])
        let job = try await harness.submit(target: "web-1")
        let replies = try await harness.send(DispatcherHarness.output(jobID: job.id, offset: 10, "not mine"), from: "db-1")
        var ack = Wire.OutputAck()
        ack.jobID = job.id
        ack.offset = 18
        #expect(replies == [.outputAck(ack)])  // so a spooled resend cannot loop
        #expect(try await harness.database.output(jobID: job.id).isEmpty)
    }

    @Test func aRejectionForAnUnknownRunChangesNothing() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1", "db-1"])
        let job = try await harness.submit(target: "web-1")
        var rejected = Wire.JobRejected()
        rejected.jobID = job.id
        rejected.code = "wrong_agent"
        #expect(try await harness.send(.jobRejected(rejected), from: "db-1").isEmpty)
        #expect(try await harness.statuses(job) == ["agent-web-1": .queued])
    }

    @Test func factsUpdatesReplaceTheStoredFacts() async throws {
        let harness = try await DispatcherHarness(agents: ["web-1"])
        var update = Wire.FactsUpdate()
        update.factsJson = Data(#"{"hostname":"web-1"}"#.utf8)
        #expect(try await harness.send(.factsUpdate(update), from: "web-1").isEmpty)
        let agent = try #require(try await harness.database.agent(id: "agent-web-1"))
        #expect(agent.facts == Data(#"{"hostname":"web-1"}"#.utf8))
        #expect(agent.lastSeenAt == harness.clock.now)
    }
}
