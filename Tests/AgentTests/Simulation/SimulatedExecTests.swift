import Foundation
import Synchronization
import Testing

@testable import StewardAgent
import StewardProtocol

/// `steward-agent simulate --exec-chunks K --exec-interval-ms M`: the reply streamed K times, M ms apart.
struct SimulatedExecTests {
    /// Chunks a sink received, with when each arrived.
    final class Received: Sendable {
        private let storage = Mutex<[(chunk: OutputChunk, at: ContinuousClock.Instant)]>([])
        var sink: OutputSink { { [self] chunk in storage.withLock { $0.append((chunk, .now)) } } }
        var chunks: [OutputChunk] { storage.withLock { $0.map(\.chunk) } }
        var times: [ContinuousClock.Instant] { storage.withLock { $0.map(\.at) } }
    }

    static let spec = CommandSpec(executable: "anything")

    @Test func streamsTheReplyKTimesAtContiguousOffsets() async throws {
        let host = SimulatedHost(name: "sim-00001", bootID: "b", exec: SimulatedExec(reply: "line of output\n", chunks: 5))
        let received = Received()
        let outcome = try await host.toolkit().runCommand(Self.spec, received.sink, { _ in })

        #expect(received.chunks.map(\.offset) == [0, 15, 30, 45, 60])
        #expect(received.chunks.allSatisfy { $0.stream == .stdout && $0.data == Array("line of output\n".utf8) })
        #expect(outcome.stdoutBytes == 75 && outcome.stderrBytes == 0 && outcome.droppedBytes == 0)
        #expect(outcome.termination == .exited(0) && !outcome.timedOut && !outcome.cancelled && !outcome.truncated)
        #expect(host.exec.totalBytes == 75)
    }

    @Test func theDefaultIsOneChunkAtOffsetZero() async throws {
        let host = SimulatedHost(name: "sim-00001", bootID: "b", execReply: "simulated\n")
        let received = Received()
        let outcome = try await host.toolkit().runCommand(Self.spec, received.sink, { _ in })
        #expect(received.chunks == [OutputChunk(stream: .stdout, offset: 0, data: Array("simulated\n".utf8))])
        #expect(outcome.stdoutBytes == 10 && outcome.termination == .exited(0))
    }

    @Test func chunksArriveAnIntervalApart() async throws {
        let exec = SimulatedExec(reply: "x\n", chunks: 4, interval: .milliseconds(100))
        let received = Received()
        let outcome = await exec.run(Self.spec, sink: received.sink, now: { 0 })
        let times = received.times
        try #require(times.count == 4)
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(earlier.duration(to: later) >= .milliseconds(100))
        }
        #expect(outcome.duration >= .milliseconds(300))
        #expect(outcome.stdoutBytes == 8)
    }

    @Test func stopsAtTheSpecTimeoutLikeAKilledCommand() async throws {
        let exec = SimulatedExec(reply: "0123456789", chunks: 10, interval: .milliseconds(300))
        let received = Received()
        var spec = Self.spec
        spec.timeout = .milliseconds(800)
        let outcome = await exec.run(spec, sink: received.sink, now: { 0 })
        // Chunks at 0, 300 and 600 ms when the machine keeps up (fewer when it lags); 10 would take 2.7 s.
        let count = received.chunks.count
        #expect((1...3).contains(count))
        #expect(received.chunks.map(\.offset) == (0..<count).map { UInt64($0 * 10) })
        #expect(outcome.timedOut && !outcome.cancelled && outcome.termination == .signaled(SIGKILL))
        #expect(outcome.stdoutBytes == UInt64(count * 10) && outcome.droppedBytes == 0)
        #expect(outcome.duration >= .milliseconds(800))
    }

    @Test func keepsOnlyTheOutputLimitAndCountsTheRestAsDropped() async throws {
        let exec = SimulatedExec(reply: "0123456789", chunks: 4)
        let received = Received()
        var spec = Self.spec
        spec.outputLimit = 25
        let outcome = await exec.run(spec, sink: received.sink, now: { 0 })
        #expect(received.chunks.map(\.offset) == [0, 10, 20])
        #expect(received.chunks.map(\.data.count) == [10, 10, 5])
        #expect(outcome.truncated && outcome.stdoutBytes == 25 && outcome.droppedBytes == 15)
        #expect(outcome.termination == .exited(0))
    }

    @Test func cancellationEndsTheRunAsCancelled() async throws {
        let exec = SimulatedExec(reply: "x\n", chunks: 100, interval: .milliseconds(50))
        let received = Received()
        let run = Task { await exec.run(Self.spec, sink: received.sink, now: { 0 }) }
        while received.chunks.count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        run.cancel()
        let outcome = await run.value
        #expect(outcome.cancelled && !outcome.timedOut && outcome.termination == .signaled(SIGKILL))
        #expect(outcome.stdoutBytes == UInt64(received.chunks.count * 2))
        #expect(received.chunks.count < 100)
    }

    /// Through the real supervisor, each chunk goes out as its own `Output` at its offset.
    @Test func theSupervisorSendsOneOutputPerChunkAndTheTotalInTheResult() async throws {
        let directory = try RuntimeTestDirectory()
        let controller = RuntimeFakeController()
        let host = SimulatedHost(name: "sim-00002", bootID: "b", exec: SimulatedExec(reply: "chunk\n", chunks: 20, interval: .milliseconds(5)))
        let supervisor = JobSupervisor(
            spool: try ResultSpool(directory: directory.file("spool")),
            replayCache: try PersistentReplayCache(path: directory.file("replay-cache")),
            verifier: try JobVerifier(publicKey: controller.publicKey, agentID: RuntimeFakeController.agentID),
            authorizer: SimulatedHost.authorizer, toolkit: host.toolkit(), logger: RuntimeSupervisorFactory.logger)
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)

        await supervisor.handle(try controller.offer("job-stream", RuntimeFakeController.exec("x")))
        // Generous: each chunk is a spool append, and the whole suite's fsyncs can stall the disk for seconds.
        try await log.waitUntil(seconds: 30) { !$0.results.isEmpty }

        #expect(log.outputs.map(\.offset) == (0..<20).map { UInt64($0 * 6) })
        #expect(log.output(.stdout) == String(repeating: "chunk\n", count: 20))
        #expect(log.results.first?.stdoutBytes == 120 && log.results.first?.status == .succeeded)
    }
}
