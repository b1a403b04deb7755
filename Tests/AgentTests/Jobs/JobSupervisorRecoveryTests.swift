import Foundation
import Synchronization
import Testing

@testable import StewardAgent
import StewardProtocol

/// An agent killed hard (SIGKILL, OOM) takes none of its commands with it: each leads its own session.
/// The next agent process ends the job's process group if it is provably still the job's.
@Suite(.timeLimit(.minutes(1)))
struct JobSupervisorRecoveryTests {
    let directory: RuntimeTestDirectory
    let controller = RuntimeFakeController()

    init() throws {
        directory = try RuntimeTestDirectory()
        try directory.write("boot-A\n", to: "boot_id")
    }

    func factory(_ plans: [String: JobPlan]) -> RuntimeSupervisorFactory {
        RuntimeSupervisorFactory(directory: directory, controller: controller, plans: plans)
    }

    @Test func theRestartedAgentKillsTheProcessGroupItsPredecessorLeftRunning() async throws {
        let pidFile = directory.file("pid")
        let factory = self.factory(["hang": RuntimeSupervisorFactory.shell("sleep 30 & echo $! > \(pidFile); wait")])
        // The agent that dies: it runs the job and is then abandoned, as a SIGKILL leaves it.
        let dying = try factory.make()
        await dying.connected(send: RuntimeMessageLog().send)
        await dying.handle(try controller.offer("job-orphan", RuntimeFakeController.exec("hang")))
        let id = try SpoolJobID("job-orphan")
        let spool = try ResultSpool(directory: factory.spoolPath)
        let log = RuntimeMessageLog()
        try await log.waitUntil { _ in directory.read("pid") != nil && (try? spool.processGroup(id)) != nil }
        let grandchild = try #require(directory.read("pid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        let record = try #require(try spool.processGroup(id))
        #expect(record.bootID == "boot-A" && record.id > 1 && record.leaderStartTime != nil)
        #expect(kill(grandchild, 0) == 0, "running before the restart")

        let restarted = try factory.make()
        let report = try await restarted.recover()
        await restarted.connected(send: log.send)

        #expect(report.lost == 1 && report.killed == 1)
        let result = try #require(log.results.first)
        #expect(result.status == .lost)
        #expect(result.error == "agent restarted while the job was running; its processes (group \(record.id)) were still running and have been killed")
        #expect(await JobSupervisorLifecycleTests.isGone(grandchild), "the whole group is gone, grandchild included")
    }

    /// Runs `sleep 30` in its own group, as the runner does; returns the group and a task to stop it.
    func sleeper() async throws -> (group: Int32, task: Task<CommandOutcome, any Error>) {
        let started = Mutex<Int32?>(nil)
        let runner = CommandRunner(configuration: .init(killGrace: .milliseconds(200)), logger: RuntimeSupervisorFactory.logger)
        let task = Task {
            try await runner.run(
                CommandSpec(executable: "/bin/sleep", arguments: ["30"]), sink: { _ in },
                started: { group in started.withLock { $0 = group } })
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while started.withLock({ $0 }) == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return (try #require(started.withLock { $0 }), task)
    }

    @Test func aLiveGroupOfThisBootIsKilled() async throws {
        let (group, task) = try await sleeper()
        let record = JobProcessGroup(id: group, bootID: "boot-A", leaderStartTime: ProcessTable.startTime(of: group))
        #expect(LeftoverProcessGroup.end(record, currentBootID: "boot-A") == .killed(group))
        let outcome = try await task.value
        #expect(outcome.termination == .signaled(SIGKILL))
    }

    @Test func aGroupFromAnotherBootOrWithAnotherLeaderIsLeftAlone() async throws {
        let (group, task) = try await sleeper()
        defer { task.cancel() }
        let startTime = try #require(ProcessTable.startTime(of: group))
        #expect(LeftoverProcessGroup.end(
            JobProcessGroup(id: group, bootID: "boot-OLD", leaderStartTime: startTime), currentBootID: "boot-A") == .otherBoot)
        #expect(LeftoverProcessGroup.end(
            JobProcessGroup(id: group, bootID: "boot-A", leaderStartTime: startTime + 1), currentBootID: "boot-A") == .reused)
        #expect(kill(group, 0) == 0, "still running")
    }

    @Test func nothingIsSignalledForMissingEndedOrAbsurdRecords() {
        #expect(LeftoverProcessGroup.end(nil, currentBootID: "boot-A") == .notRecorded)
        #expect(LeftoverProcessGroup.end(JobProcessGroup(id: 1, bootID: "boot-A", leaderStartTime: nil), currentBootID: "boot-A") == .reused)
        #expect(LeftoverProcessGroup.end(JobProcessGroup(id: -1, bootID: "boot-A", leaderStartTime: nil), currentBootID: "boot-A") == .reused)
        #expect(LeftoverProcessGroup.end(JobProcessGroup(id: getpgrp(), bootID: "boot-A", leaderStartTime: nil), currentBootID: "boot-A") == .reused)
        #expect(LeftoverProcessGroup.end(JobProcessGroup(id: 4_000_000, bootID: "boot-A", leaderStartTime: nil), currentBootID: "boot-A") == .ended)
        #expect(LeftoverProcessGroup.end(JobProcessGroup(id: 12345, bootID: "boot-A", leaderStartTime: nil), currentBootID: nil) == .otherBoot)
    }

    @Test func startTimeIsField22OfAStatLine() {
        let line = "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100"
        #expect(ProcessTable.parseStartTime(line) == 987_654)
        #expect(ProcessTable.parseStartTime("4242 (x) S 1") == nil)
    }
}
