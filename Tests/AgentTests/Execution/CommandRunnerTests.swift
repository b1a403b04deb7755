import Foundation
import Synchronization
import Testing
@testable import StewardAgent

@Suite("CommandRunner", .timeLimit(.minutes(1)))
struct CommandRunnerTests {
    let runner = ExecutionTestFixtures.runner()

    @Test func reportsExitCodes() async throws {
        let recorder = ExecutionChunkRecorder()
        let ok = try await runner.run(CommandSpec(executable: "/bin/true"), sink: recorder.sink)
        #expect(ok.termination == .exited(0))
        #expect(ok.termination.isSuccess)
        let failed = try await runner.run(
            CommandSpec(executable: "/bin/sh", arguments: ["-c", "exit 7"]), sink: recorder.sink)
        #expect(failed.termination == .exited(7))
        #expect(!failed.termination.isSuccess)
        #expect(!failed.timedOut && !failed.cancelled && !failed.truncated)
    }

    @Test func reportsDeathBySignal() async throws {
        let recorder = ExecutionChunkRecorder()
        let outcome = try await runner.run(
            CommandSpec(executable: "/bin/sh", arguments: ["-c", "kill -USR1 $$"]), sink: recorder.sink)
        #expect(outcome.termination == .signaled(SIGUSR1))
    }

    @Test func streamsOutputWhileRunningWithSeparateStreamsAndContiguousOffsets() async throws {
        let scratch = try ExecutionScratchDirectory()
        let flag = scratch.file("first-chunk-seen")
        let recorder = ExecutionChunkRecorder()
        // The child only writes its second part once the sink has seen the first, which proves
        // output is delivered as it comes and gives the second part a non-zero offset.
        let script = "printf out1; printf err1 >&2; while [ ! -e '\(flag)' ]; do sleep 0.01; done; "
            + "printf out2; printf err22 >&2"
        let sink: OutputSink = { chunk in
            if chunk.stream == .stdout { _ = FileManager.default.createFile(atPath: flag, contents: nil) }
            await recorder.sink(chunk)
        }
        let outcome = try await runner.run(
            CommandSpec(executable: "/bin/sh", arguments: ["-c", script], timeout: .seconds(20)), sink: sink)
        #expect(outcome.termination == .exited(0))
        #expect(await recorder.text(.stdout) == "out1out2")
        #expect(await recorder.text(.stderr) == "err1err22")
        #expect(outcome.stdoutBytes == 8)
        #expect(outcome.stderrBytes == 9)
        #expect(await recorder.offsetsAreContiguous())
        let chunks = await recorder.chunks
        #expect(chunks.filter { $0.stream == .stdout }.map(\.offset) == [0, 4])
    }

    @Test func splitsLargeOutputIntoChunksOfAtMost64KiB() async throws {
        let recorder = ExecutionChunkRecorder()
        let outcome = try await runner.run(
            CommandSpec(executable: "/usr/bin/seq", arguments: ["1", "100000"], outputLimit: 10 << 20),
            sink: recorder.sink)
        let expected = (1...100_000).map(String.init).joined(separator: "\n") + "\n"
        #expect(outcome.termination == .exited(0))
        #expect(outcome.stdoutBytes == UInt64(expected.utf8.count))
        #expect(await recorder.text(.stdout) == expected)
        let chunks = await recorder.chunks
        #expect(chunks.count >= expected.utf8.count / OutputChunk.maxSize)
        #expect(chunks.allSatisfy { $0.data.count <= OutputChunk.maxSize && !$0.data.isEmpty })
        #expect(await recorder.offsetsAreContiguous())
        #expect(!outcome.truncated)
    }

    @Test func capsOutputAndStillDrainsTheChild() async throws {
        let recorder = ExecutionChunkRecorder()
        let outcome = try await runner.run(
            CommandSpec(executable: "/usr/bin/head", arguments: ["-c", "5000000", "/dev/zero"], outputLimit: 1000),
            sink: recorder.sink)
        // head only exits once every byte was read from its pipe: a clean exit proves the drain.
        #expect(outcome.termination == .exited(0))
        #expect(!outcome.timedOut)
        #expect(outcome.truncated)
        #expect(outcome.stdoutBytes == 1000)
        #expect(outcome.droppedBytes == 5_000_000 - 1000)
        #expect(await recorder.bytes(.stdout).count == 1000)
    }

    @Test func sharesTheOutputLimitBetweenStreams() async throws {
        let recorder = ExecutionChunkRecorder()
        let script = "head -c 3000 /dev/zero; head -c 3000 /dev/zero >&2"
        let outcome = try await runner.run(
            CommandSpec(executable: "/bin/sh", arguments: ["-c", script], outputLimit: 4000), sink: recorder.sink)
        // Which stream reaches the budget first depends on read scheduling, not on write order.
        #expect(outcome.stdoutBytes + outcome.stderrBytes == 4000)
        #expect([outcome.stdoutBytes, outcome.stderrBytes].sorted() == [1000, 3000])
        #expect(await recorder.bytes(.stdout).count + recorder.bytes(.stderr).count == 4000)
        #expect(outcome.truncated)
        #expect(outcome.droppedBytes == 2000)
    }

    @Test func zeroLimitDeliversNothingButCountsTheDrop() async throws {
        let recorder = ExecutionChunkRecorder()
        let outcome = try await runner.run(
            CommandSpec(executable: "/bin/echo", arguments: ["hello"], outputLimit: 0), sink: recorder.sink)
        #expect(await recorder.chunks.isEmpty)
        #expect(outcome.truncated)
        #expect(outcome.droppedBytes == 6)
    }

    @Test func passesShellMetacharactersLiterally() async throws {
        let recorder = ExecutionChunkRecorder()
        let hostile = "$(id); rm -rf / `whoami` | cat > /tmp/x && echo *"
        let outcome = try await runner.run(
            CommandSpec(executable: "/bin/echo", arguments: [hostile]), sink: recorder.sink)
        #expect(outcome.termination == .exited(0))
        #expect(await recorder.text(.stdout) == hostile + "\n")
    }

    @Test func appliesEnvironmentOverridesOnTopOfTheInheritedEnvironment() async throws {
        let recorder = ExecutionChunkRecorder()
        _ = try await runner.run(
            CommandSpec(executable: "/usr/bin/env", environment: ["STEWARD_TEST_VALUE": "a b;$c", "LC_ALL": "C"]),
            sink: recorder.sink)
        let lines = await recorder.text(.stdout).split(separator: "\n")
        #expect(lines.contains("STEWARD_TEST_VALUE=a b;$c"))
        #expect(lines.contains("LC_ALL=C"))
        // Inherited from the test process.
        #expect(lines.contains { $0.hasPrefix("PATH=") })
    }

    @Test func startsInTheRequestedWorkingDirectory() async throws {
        let scratch = try ExecutionScratchDirectory()
        let recorder = ExecutionChunkRecorder()
        _ = try await runner.run(
            CommandSpec(executable: "/bin/pwd", arguments: ["-P"], workingDirectory: scratch.path), sink: recorder.sink)
        let resolved = URL(fileURLWithPath: scratch.path).resolvingSymlinksInPath().path
        #expect(await recorder.text(.stdout) == resolved + "\n")
    }

    @Test func resolvesBareNamesThroughPATH() async throws {
        let recorder = ExecutionChunkRecorder()
        let outcome = try await runner.run(CommandSpec(executable: "echo", arguments: ["found"]), sink: recorder.sink)
        #expect(outcome.termination == .exited(0))
        #expect(await recorder.text(.stdout) == "found\n")
    }

    @Test func recordsWallClockTimesFromTheInjectedClock() async throws {
        let ticks = ExecutionTicker(start: 1_700_000_000_000)
        let runner = CommandRunner(
            configuration: .init(searchPath: "/bin", wallClockMillis: { ticks.next() }),
            logger: ExecutionTestFixtures.logger)
        let outcome = try await runner.run(CommandSpec(executable: "/bin/true"), sink: { _ in })
        #expect(outcome.startedAt == 1_700_000_000_000)
        #expect(outcome.finishedAt == 1_700_000_000_001)
        #expect(outcome.duration > .zero)
    }
}

/// A wall clock that advances one millisecond per reading.
final class ExecutionTicker: Sendable {
    private let value: Mutex<Int64>
    init(start: Int64) { value = Mutex(start) }
    func next() -> Int64 {
        value.withLock { current in
            defer { current += 1 }
            return current
        }
    }
}
