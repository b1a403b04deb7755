import Foundation
import Testing

@testable import StewardAgent
import StewardProtocol

@Suite(.timeLimit(.minutes(1)))
struct JobSupervisorLifecycleTests {
    let directory: RuntimeTestDirectory
    let controller = RuntimeFakeController()

    init() throws {
        directory = try RuntimeTestDirectory()
        try directory.write("boot-A\n", to: "boot_id")
    }

    func factory(_ plans: [String: JobPlan]) -> RuntimeSupervisorFactory {
        RuntimeSupervisorFactory(directory: directory, controller: controller, plans: plans)
    }

    /// True once `pid` has exited (absent, or a zombie waiting for its new parent to reap it).
    static func isGone(_ pid: Int32) async -> Bool {
        for _ in 0..<100 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            // The state letter follows the parenthesised command name.
            if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z") {
                return true
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func jobThatWasRunningWhenTheAgentDiedIsReportedLost() async throws {
        let factory = self.factory([:])
        // What a crash leaves: an accepted spec, some output, no result.
        let spool = try ResultSpool(directory: factory.spoolPath)
        let id = try SpoolJobID("job-crashed")
        var spec = Wire.JobSpec()
        spec.jobID = id.rawValue
        try spool.create(id, spec: spec)
        try spool.appendOutput(id, stream: .stdout, bytes: Array("partial".utf8))

        let supervisor = try factory.make()
        let report = try await supervisor.recover()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)

        #expect(report.lost == 1)
        #expect(log.messages.map(\.name) == ["Output", "JobResult"])
        #expect(log.output(.stdout) == "partial")
        let result = try #require(log.results.first)
        #expect(result.status == .lost)
        #expect(result.error == "agent restarted while the job was running; the process was killed")
        #expect(try spool.result(id) == result, "the verdict is spooled, not recomputed")
    }

    @Test func rebootSucceedsWhenTheAgentComesBackWithANewBootID() async throws {
        let bootFile = directory.file("boot_id")
        var factory = self.factory([:])
        // The fake reboot command "reboots" by changing the boot id; the agent then stops.
        factory.plans["reboot"] = .reboot(CommandSpec(executable: "/bin/sh", arguments: ["-c", "echo boot-B > \(bootFile)"]))
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        var action = RuntimeFakeController.action(.reboot)
        action.command = "reboot"
        await supervisor.handle(try controller.offer("job-reboot", action))
        try await log.waitUntil { _ in directory.read("boot_id") == "boot-B\n" }
        let spool = try ResultSpool(directory: factory.spoolPath)
        let marker = try #require(try spool.rebootMarker(SpoolJobID("job-reboot")))
        #expect(marker.bootID == "boot-A")
        #expect(log.accepted.map(\.jobID) == ["job-reboot"])
        await supervisor.shutdown()
        #expect(log.results.isEmpty, "no verdict before the agent comes back")
        #expect(try spool.result(SpoolJobID("job-reboot")) == nil)

        let restarted = try factory.make()
        let report = try await restarted.recover()
        let after = RuntimeMessageLog()
        await restarted.connected(send: after.send)

        #expect(report.reboots == 1)
        let result = try #require(after.results.first)
        #expect(result.status == .succeeded)
        let report2 = try JSONSerialization.jsonObject(with: Data(result.structuredJson)) as? [String: Any]
        #expect(report2?["previous_boot_id"] as? String == "boot-A")
        #expect(report2?["boot_id"] as? String == "boot-B")
        let downtime = try #require(report2?["downtime_ms"] as? Int64)
        #expect(downtime >= 0 && downtime < 60_000)
        #expect(try spool.rebootMarker(SpoolJobID("job-reboot")) == nil)
    }

    @Test func rebootFailsWhenTheBootIDIsUnchanged() async throws {
        var factory = self.factory(["reboot": .reboot(CommandSpec(executable: "/bin/true"))])
        factory.rebootConfirmationTimeout = .seconds(60)
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        var action = RuntimeFakeController.action(.reboot)
        action.command = "reboot"
        await supervisor.handle(try controller.offer("job-noreboot", action))
        let spool = try ResultSpool(directory: factory.spoolPath)
        try await log.waitUntil { _ in (try? spool.rebootMarker(SpoolJobID("job-noreboot"))) != nil }
        try await Task.sleep(for: .milliseconds(100))
        await supervisor.shutdown()

        let restarted = try factory.make()
        try await restarted.recover()
        let after = RuntimeMessageLog()
        await restarted.connected(send: after.send)
        let result = try #require(after.results.first)
        #expect(result.status == .failed)
        #expect(result.error.hasPrefix("reboot did not happen"))
    }

    @Test func rebootNotHappeningWithinTheConfirmationTimeoutFails() async throws {
        var factory = self.factory(["reboot": .reboot(CommandSpec(executable: "/bin/true"))])
        factory.rebootConfirmationTimeout = .milliseconds(200)
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        var action = RuntimeFakeController.action(.reboot)
        action.command = "reboot"
        await supervisor.handle(try controller.offer("job-slow-reboot", action))
        try await log.waitUntil { !$0.results.isEmpty }
        #expect(log.results.first?.status == .failed)
        #expect(log.results.first?.error.hasPrefix("reboot did not happen") == true)
    }

    @Test func failingRebootCommandFailsTheJobAtOnce() async throws {
        let factory = self.factory(["reboot": .reboot(CommandSpec(executable: "/bin/sh", arguments: ["-c", "echo no >&2; exit 1"]))])
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        var action = RuntimeFakeController.action(.reboot)
        action.command = "reboot"
        await supervisor.handle(try controller.offer("job-bad-reboot", action))
        try await log.waitUntil { !$0.results.isEmpty }
        let result = try #require(log.results.first)
        #expect(result.status == .failed && result.exitCode == 1)
        #expect(result.error.contains("reboot command failed"))
        let spool = try ResultSpool(directory: factory.spoolPath)
        #expect(try spool.rebootMarker(SpoolJobID("job-bad-reboot")) == nil)
    }

    @Test func cancelKillsTheProcessGroupAndReportsCancelled() async throws {
        let pidFile = directory.file("pid")
        let script = "sleep 30 & echo $! > \(pidFile); wait"
        let supervisor = try factory(["hang": RuntimeSupervisorFactory.shell(script)]).make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-cancel", RuntimeFakeController.exec("hang")))
        try await log.waitUntil { _ in directory.read("pid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } != nil }
        let grandchild = try #require(directory.read("pid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) })

        let started = ContinuousClock.now
        var cancel = Wire.Cancel()
        cancel.jobID = "job-cancel"
        await supervisor.handle(.cancel(cancel))
        try await log.waitUntil { !$0.results.isEmpty }

        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(log.results.first?.status == .cancelled)
        #expect(await Self.isGone(grandchild), "the whole process group is gone")
    }

    @Test func jobsBeyondTheConcurrencyLimitWaitTheirTurn() async throws {
        let trace = directory.file("trace")
        var factory = self.factory([
            "one": RuntimeSupervisorFactory.shell("echo start1 >> \(trace); sleep 0.3; echo end1 >> \(trace)"),
            "two": RuntimeSupervisorFactory.shell("echo start2 >> \(trace); sleep 0.1; echo end2 >> \(trace)"),
        ])
        factory.maxConcurrentJobs = 1
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-1", RuntimeFakeController.exec("one")))
        await supervisor.handle(try controller.offer("job-2", RuntimeFakeController.exec("two")))

        #expect(log.accepted.map(\.jobID) == ["job-1", "job-2"], "both are accepted at once")
        #expect(await supervisor.runningJobs == 1)
        #expect(await supervisor.inventory().activeJobIDs == ["job-1", "job-2"])
        try await log.waitUntil { $0.results.count == 2 }
        #expect(directory.lines("trace") == ["start1", "end1", "start2", "end2"])
    }

    @Test func anInProcessActionThatStartsAtOnceIsAnsweredByItsResultAlone() async throws {
        var factory = self.factory(["block": RuntimeSupervisorFactory.shell("sleep 0.3")])
        factory.maxConcurrentJobs = 1
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)

        let before = RuntimeFakeController.now()
        await supervisor.handle(try controller.offer("job-ping", RuntimeFakeController.action(.ping)))
        try await log.waitUntil { $0.results.count == 1 }
        #expect(log.messages.map(\.name) == ["JobResult"], "no JobAccepted for a ping that ran at once")
        #expect((log.results.first?.startedMs ?? 0) >= before, "the result says when it started")
        // Its entry was made with the result, which was durable before it was sent; no spec was spooled.
        let spool = try ResultSpool(directory: factory.spoolPath)
        #expect(try spool.result(SpoolJobID("job-ping")) == log.results.first)
        #expect(try spool.spec(SpoolJobID("job-ping")) == nil)

        // A command is announced; a ping waiting behind it for the only slot is announced too.
        await supervisor.handle(try controller.offer("job-block", RuntimeFakeController.exec("block")))
        await supervisor.handle(try controller.offer("job-facts", RuntimeFakeController.action(.facts)))
        #expect(log.accepted.map(\.jobID) == ["job-block", "job-facts"])
        try await log.waitUntil { $0.results.count == 3 }
        #expect(log.results.map(\.jobID) == ["job-ping", "job-block", "job-facts"])
    }

    @Test func cancellingAQueuedJobReportsItCancelledWithoutRunningIt() async throws {
        var factory = self.factory([
            "block": RuntimeSupervisorFactory.shell("sleep 0.5"),
            "never": RuntimeSupervisorFactory.shell("echo ran >> \(directory.file("ran"))"),
        ])
        factory.maxConcurrentJobs = 1
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-block", RuntimeFakeController.exec("block")))
        await supervisor.handle(try controller.offer("job-never", RuntimeFakeController.exec("never")))
        var cancel = Wire.Cancel()
        cancel.jobID = "job-never"
        await supervisor.handle(.cancel(cancel))
        try await log.waitUntil { $0.results.count == 2 }

        #expect(log.results.first?.jobID == "job-never")
        #expect(log.results.first?.status == .cancelled)
        #expect(directory.read("ran") == nil)
    }

    @Test func shutdownStopsRunningJobsAndSpoolsTheirResults() async throws {
        let factory = self.factory(["hang": RuntimeSupervisorFactory.shell("echo started; sleep 30")])
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        let generation = await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-stop", RuntimeFakeController.exec("hang")))
        try await log.waitUntil { $0.output(.stdout) == "started\n" }
        await supervisor.disconnected(generation: generation)

        await supervisor.shutdown()

        let spool = try ResultSpool(directory: factory.spoolPath)
        let result = try #require(try spool.result(SpoolJobID("job-stop")))
        #expect(result.status == .cancelled)
        #expect(result.error.contains("agent stopped"))
        await supervisor.handle(try controller.offer("job-late", RuntimeFakeController.exec("hang")))
        #expect(log.rejected.isEmpty, "disconnected: nothing is sent")
    }
}
