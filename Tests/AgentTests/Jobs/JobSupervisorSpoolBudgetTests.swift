import Foundation
import Testing

@testable import StewardAgent
import StewardProtocol

/// `limits.spool_max_bytes`: while results wait for the controller's acknowledgement, their output is
/// capped; the oldest output goes first and every result is kept.
@Suite(.timeLimit(.minutes(1)))
struct JobSupervisorSpoolBudgetTests {
    let directory: RuntimeTestDirectory
    let controller = RuntimeFakeController()

    init() throws {
        directory = try RuntimeTestDirectory()
    }

    /// A job that prints 4 KiB.
    func factory(budget: UInt64) -> RuntimeSupervisorFactory {
        var factory = RuntimeSupervisorFactory(
            directory: directory, controller: controller,
            plans: ["print4k": RuntimeSupervisorFactory.shell("head -c 4096 /dev/zero")])
        factory.spoolMaxBytes = budget
        return factory
    }

    func spooledBytes(_ job: String) -> Int {
        ["stdout", "stderr"].reduce(0) { total, stream in
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory.file("spool/\(job)/\(stream)"))
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }

    /// Runs three 4 KiB jobs under `factory`'s budget; the controller acknowledges their results or, as
    /// when it is unreachable, never does.
    func runThreeJobs(_ factory: RuntimeSupervisorFactory, acknowledging: Bool = false) async throws {
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        for job in ["job-1", "job-2", "job-3"] {
            await supervisor.handle(try controller.offer(job, RuntimeFakeController.exec("print4k")))
            let count = log.results.count
            try await log.waitUntil { $0.results.count == count + 1 }
            if acknowledging {
                var ack = Wire.ResultAck()
                ack.jobID = job
                await supervisor.handle(.resultAck(ack))
            }
        }
        #expect(log.results.map(\.outputTruncated) == [false, false, false], "each was sent whole while it ran")
        await supervisor.shutdown()
    }

    @Test func theOldestOutputIsDroppedFirstAndEveryResultIsKept() async throws {
        let factory = factory(budget: 10 << 10)
        try await runThreeJobs(factory)
        #expect(spooledBytes("job-1") == 0, "12 KiB over a 10 KiB budget: the oldest job's output went")
        #expect(spooledBytes("job-2") == 4096)
        #expect(spooledBytes("job-3") == 4096)

        // The controller never acknowledged anything: after a restart every result is delivered, the first
        // marked truncated and without output, the others whole.
        let restarted = try factory.make()
        try await restarted.recover()
        let log = RuntimeMessageLog()
        await restarted.connected(send: log.send)
        let results = Dictionary(uniqueKeysWithValues: log.results.map { ($0.jobID, $0) })
        #expect(results.keys.sorted() == ["job-1", "job-2", "job-3"])
        #expect(results["job-1"]?.outputTruncated == true)
        #expect(results["job-1"]?.status == .succeeded)
        #expect(results["job-2"]?.outputTruncated == false)
        #expect(log.outputs.filter { $0.jobID == "job-1" }.isEmpty)
        #expect(log.outputs.filter { $0.jobID == "job-3" }.reduce(0) { $0 + $1.data.count } == 4096)
        await restarted.shutdown()
    }

    @Test func aSmallerBudgetIsAppliedWhenTheAgentStarts() async throws {
        try await runThreeJobs(factory(budget: 64 << 10))
        #expect(["job-1", "job-2", "job-3"].map(spooledBytes) == [4096, 4096, 4096], "within 64 KiB nothing is dropped")

        let smaller = try factory(budget: 5 << 10).make()
        try await smaller.recover()
        #expect(["job-1", "job-2", "job-3"].map(spooledBytes) == [0, 0, 4096])
        let log = RuntimeMessageLog()
        await smaller.connected(send: log.send)
        #expect(log.results.map(\.outputTruncated) == [true, true, false])
        await smaller.shutdown()
    }

    @Test func anAcknowledgedResultNoLongerCountsAgainstTheBudget() async throws {
        // 12 KiB in all under a 10 KiB budget, but each result is acknowledged (and deleted) before the next.
        try await runThreeJobs(factory(budget: 10 << 10), acknowledging: true)
        #expect(!FileManager.default.fileExists(atPath: directory.file("spool/job-1")), "acknowledged entries are deleted")
    }
}
