import Foundation
import Testing

@testable import StewardAgent
import StewardProtocol

@Suite(.timeLimit(.minutes(1)))
struct JobSupervisorDeliveryTests {
    let directory: RuntimeTestDirectory
    let controller = RuntimeFakeController()

    init() throws {
        directory = try RuntimeTestDirectory()
    }

    func factory(_ plans: [String: JobPlan]) -> RuntimeSupervisorFactory {
        RuntimeSupervisorFactory(directory: directory, controller: controller, plans: plans)
    }

    @Test func duplicateOfferOfARunningJobDoesNotRunItAgain() async throws {
        let counter = directory.file("count")
        let supervisor = try factory(["slow": RuntimeSupervisorFactory.shell("echo ran >> \(counter); sleep 1")]).make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        let offer = try controller.offer("job-dup", RuntimeFakeController.exec("slow"))

        await supervisor.handle(offer)
        try await log.waitUntil { _ in directory.read("count") != nil }
        await supervisor.handle(offer)
        try await log.waitUntil { !$0.results.isEmpty }

        #expect(directory.lines("count") == ["ran"])
        #expect(log.accepted.count == 2, "the re-offer is answered with JobAccepted again")
        #expect(log.rejected.isEmpty)
        #expect(log.results.count == 1)
    }

    @Test func duplicateOfferOfASpooledJobResendsItsResultWithoutRunning() async throws {
        let counter = directory.file("count")
        let supervisor = try factory(["once": RuntimeSupervisorFactory.shell("echo ran >> \(counter); printf out")]).make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        let offer = try controller.offer("job-spooled", RuntimeFakeController.exec("once"))
        await supervisor.handle(offer)
        try await log.waitUntil { !$0.results.isEmpty }
        log.clear()

        await supervisor.handle(offer)

        #expect(log.messages.map(\.name) == ["Output", "JobResult"])
        #expect(log.output(.stdout) == "out")
        #expect(log.results.first?.status == .succeeded)
        try await Task.sleep(for: .milliseconds(200))
        #expect(directory.lines("count") == ["ran"])
    }

    @Test func resultSurvivesARestartAndIsResentAfterWelcome() async throws {
        let factory = self.factory(["talk": RuntimeSupervisorFactory.shell("printf 'line one\\nline two\\n'; exit 7")])
        let first = try factory.make()
        let log = RuntimeMessageLog()
        await first.connected(send: log.send)
        await first.handle(try controller.offer("job-keep", RuntimeFakeController.exec("talk")))
        try await log.waitUntil { !$0.results.isEmpty }
        let original = try #require(log.results.first)

        // A new process on the same state directory; the controller never acked.
        let restarted = try factory.make()
        let report = try await restarted.recover()
        #expect(report.results == 1 && report.lost == 0)
        #expect(await restarted.inventory().spooledJobIDs == ["job-keep"])
        let resent = RuntimeMessageLog()
        await restarted.connected(send: resent.send)

        #expect(resent.messages.map(\.name) == ["Output", "JobResult"])
        #expect(resent.output(.stdout) == "line one\nline two\n")
        #expect(resent.outputs.first?.offset == 0)
        #expect(resent.results.first == original)
    }

    @Test func resultAckDeletesTheSpoolEntry() async throws {
        let factory = self.factory(["ok": RuntimeSupervisorFactory.shell("echo done")])
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-ack", RuntimeFakeController.exec("ok")))
        try await log.waitUntil { !$0.results.isEmpty }
        let spool = try ResultSpool(directory: factory.spoolPath)
        #expect(try spool.jobIDs().map(\.rawValue) == ["job-ack"])

        var ack = Wire.ResultAck()
        ack.jobID = "job-ack"
        await supervisor.handle(.resultAck(ack))

        #expect(try spool.jobIDs().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: factory.spoolPath).isEmpty)
        #expect(await supervisor.inventory().spooledJobIDs.isEmpty)
        let reconnect = RuntimeMessageLog()
        await supervisor.connected(send: reconnect.send)
        #expect(reconnect.messages.isEmpty)
    }

    @Test func resultAckForAHostileIDTouchesNothing() async throws {
        let factory = self.factory([:])
        let supervisor = try factory.make()
        try directory.write("keep", to: "x")
        var ack = Wire.ResultAck()
        ack.jobID = "../x"
        await supervisor.handle(.resultAck(ack))
        #expect(directory.read("x") == "keep")
    }

    @Test func outputAckMakesResendsStartAtTheAckedOffset() async throws {
        let factory = self.factory(["abc": RuntimeSupervisorFactory.shell("printf abcdef; printf XYZ >&2")])
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-acked", RuntimeFakeController.exec("abc")))
        try await log.waitUntil { !$0.results.isEmpty }

        var ack = Wire.OutputAck()
        ack.jobID = "job-acked"
        ack.stream = .stdout
        ack.offset = 4
        await supervisor.handle(.outputAck(ack))
        let resent = RuntimeMessageLog()
        await supervisor.connected(send: resent.send)

        let stdout = resent.outputs.filter { $0.stream == .stdout }
        #expect(stdout.map(\.offset) == [4])
        #expect(resent.output(.stdout) == "ef")
        #expect(resent.output(.stderr) == "XYZ", "an unacked stream is resent whole")
        #expect(resent.messages.last?.name == "JobResult")
    }

    @Test func largeOutputIsSentInChunksOfAtMost64KiBWithContiguousOffsets() async throws {
        let size = 200 * 1024
        let factory = self.factory(["big": RuntimeSupervisorFactory.shell("head -c \(size) /dev/zero | tr '\\0' 'x'")])
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-big", RuntimeFakeController.exec("big")))
        try await log.waitUntil { !$0.results.isEmpty }

        let chunks = log.outputs
        #expect(chunks.allSatisfy { $0.data.count <= 64 * 1024 && !$0.data.isEmpty })
        var expected: UInt64 = 0
        for chunk in chunks {
            #expect(chunk.offset == expected)
            expected += UInt64(chunk.data.count)
        }
        #expect(expected == UInt64(size))
        #expect(log.results.first?.stdoutBytes == UInt64(size))
    }

    @Test func outputProducedWhileDisconnectedIsSentOnReconnect() async throws {
        let gate = directory.file("gate")
        let script = "printf before; while [ ! -e \(gate) ]; do sleep 0.05; done; printf after"
        let supervisor = try factory(["gated": RuntimeSupervisorFactory.shell(script)]).make()
        let first = RuntimeMessageLog()
        let generation = await supervisor.connected(send: first.send)
        await supervisor.handle(try controller.offer("job-gap", RuntimeFakeController.exec("gated")))
        try await first.waitUntil { $0.output(.stdout) == "before" }

        await supervisor.disconnected(generation: generation)
        let second = RuntimeMessageLog()
        await supervisor.connected(send: second.send)
        try directory.write("", to: "gate")
        try await second.waitUntil { !$0.results.isEmpty }

        #expect(await supervisor.inventory().activeJobIDs.isEmpty)
        #expect(first.results.isEmpty)
        #expect(second.output(.stdout) == "beforeafter", "unacked output is resent from offset 0, then live")
        #expect(second.outputs.map(\.offset) == [0, 6])
    }
}
