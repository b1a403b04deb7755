import Foundation
import Testing
@testable import StewardAgent

/// Timeouts, cancellation and stragglers: nothing a command starts may outlive its run.
@Suite("CommandRunner termination", .timeLimit(.minutes(1)))
struct CommandRunnerTerminationTests {
    let runner = ExecutionTestFixtures.runner(grace: .milliseconds(300))

    @Test func timeoutKillsTheGrandchildToo() async throws {
        let scratch = try ExecutionScratchDirectory()
        let pidFile = scratch.file("grandchild.pid")
        let spec = CommandSpec(
            executable: "/bin/sh", arguments: ["-c", "sleep 100 & echo $! > '\(pidFile)'; wait"],
            timeout: .seconds(1))
        let outcome = try await runner.run(spec, sink: { _ in })
        let grandchild = try #require(try await scratch.waitForPID(in: "grandchild.pid"))
        #expect(outcome.timedOut)
        #expect(!outcome.cancelled)
        #expect(outcome.termination == .signaled(SIGTERM))
        #expect(ProcessTable.isGone(grandchild))
        #expect(outcome.duration >= .seconds(1))
        #expect(outcome.duration < .seconds(30), "the process group must die at the timeout, not run its 100 s")
    }

    @Test func timeoutEscalatesToSIGKILLWhenTermIsIgnored() async throws {
        let scratch = try ExecutionScratchDirectory()
        let pidFile = scratch.file("stubborn.pid")
        // An ignored SIGTERM stays ignored in the children, so neither process dies of it.
        let script = "trap '' TERM; sleep 100 & echo $! > '\(pidFile)'; wait; wait; wait"
        // The timeout leaves the shell ample time to install its trap even on a loaded machine.
        let spec = CommandSpec(executable: "/bin/sh", arguments: ["-c", script], timeout: .seconds(1))
        let outcome = try await runner.run(spec, sink: { _ in })
        let grandchild = try #require(try await scratch.waitForPID(in: "stubborn.pid"))
        #expect(outcome.timedOut)
        #expect(outcome.termination == .signaled(SIGKILL))
        #expect(ProcessTable.isGone(grandchild))
        // Timeout plus the 300 ms grace before SIGKILL.
        #expect(outcome.duration >= .milliseconds(1300))
        #expect(outcome.duration < .seconds(30), "the process group must die at the timeout, not run its 100 s")
    }

    @Test func cancellingTheCallingTaskKillsTheProcessGroup() async throws {
        let scratch = try ExecutionScratchDirectory()
        let pidFile = scratch.file("cancel.pid")
        let spec = CommandSpec(
            executable: "/bin/sh", arguments: ["-c", "sleep 100 & echo $! > '\(pidFile)'; wait"],
            timeout: .seconds(60))
        let runner = self.runner
        let started = ContinuousClock.now
        let task = Task { try await runner.run(spec, sink: { _ in }) }
        let grandchild = try #require(try await scratch.waitForPID(in: "cancel.pid"))
        task.cancel()
        let outcome = try await task.value
        #expect(outcome.cancelled)
        #expect(!outcome.timedOut)
        #expect(outcome.termination == .signaled(SIGTERM))
        #expect(ProcessTable.isGone(grandchild))
        #expect(started.duration(to: .now) < .seconds(30), "cancel must not wait for the 60 s timeout")
    }

    @Test func endsStragglersWhenTheChildExitsNormally() async throws {
        let scratch = try ExecutionScratchDirectory()
        let pidFile = scratch.file("straggler.pid")
        // The background sleep keeps the stdout pipe open after sh exits.
        let spec = CommandSpec(
            executable: "/bin/sh", arguments: ["-c", "sleep 100 & echo $! > '\(pidFile)'; echo done"],
            timeout: .seconds(60))
        let recorder = ExecutionChunkRecorder()
        let outcome = try await runner.run(spec, sink: recorder.sink)
        let straggler = try #require(try await scratch.waitForPID(in: "straggler.pid"))
        #expect(outcome.termination == .exited(0))
        #expect(!outcome.timedOut && !outcome.cancelled)
        #expect(await recorder.text(.stdout) == "done\n")
        #expect(ProcessTable.isGone(straggler))
        #expect(outcome.duration < .seconds(25), "must not wait for the 60 s timeout")
    }

    @Test func quickCommandIsNotDelayedByTheWatchdog() async throws {
        let outcome = try await runner.run(
            CommandSpec(executable: "/bin/true", timeout: .seconds(30)), sink: { _ in })
        #expect(outcome.duration < .seconds(20), "must not wait for the 30 s timeout")
        #expect(!outcome.timedOut)
    }
}
