import Foundation
import Testing

@testable import StewardAgent
import StewardProtocol

@Suite(.timeLimit(.minutes(1)))
struct JobSupervisorOfferTests {
    let directory: RuntimeTestDirectory
    let controller = RuntimeFakeController()

    init() throws {
        directory = try RuntimeTestDirectory()
    }

    func factory(_ plans: [String: JobPlan]) -> RuntimeSupervisorFactory {
        RuntimeSupervisorFactory(directory: directory, controller: controller, plans: plans)
    }

    @Test func validOfferIsAcceptedThenStreamsOutputThenReportsResult() async throws {
        let supervisor = try factory(["greet": RuntimeSupervisorFactory.shell("printf hello; printf oops >&2; exit 3")]).make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)

        await supervisor.handle(try controller.offer("job-1", RuntimeFakeController.exec("greet")))
        try await log.waitUntil { !$0.results.isEmpty }

        let names = log.messages.map(\.name)
        #expect(names.first == "JobAccepted")
        #expect(names.last == "JobResult")
        #expect(names.filter { $0 == "Output" }.count == 2)
        #expect(log.output(.stdout) == "hello")
        #expect(log.output(.stderr) == "oops")
        let result = try #require(log.results.first)
        #expect(result.jobID == "job-1")
        #expect(result.status == .failed)
        #expect(result.exited && result.exitCode == 3)
        #expect(result.stdoutBytes == 5 && result.stderrBytes == 4)
        // The result was durable before it was sent.
        let spool = try ResultSpool(directory: factory([:]).spoolPath)
        #expect(try spool.result(SpoolJobID("job-1")) == result)
    }

    @Test func exitZeroSucceedsAndPingAnswersWithAgentTime() async throws {
        let supervisor = try factory(["ok": RuntimeSupervisorFactory.shell("true")]).make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        let before = RuntimeFakeController.now()

        await supervisor.handle(try controller.offer("job-ok", RuntimeFakeController.exec("ok")))
        await supervisor.handle(try controller.offer("job-ping", RuntimeFakeController.action(.ping)))
        try await log.waitUntil { $0.results.count == 2 }

        let byID = Dictionary(uniqueKeysWithValues: log.results.map { ($0.jobID, $0) })
        #expect(byID["job-ok"]?.status == .succeeded)
        #expect(byID["job-ok"]?.exitCode == 0)
        let ping = try #require(byID["job-ping"])
        #expect(ping.status == .succeeded)
        let reply = try JSONSerialization.jsonObject(with: Data(ping.structuredJson)) as? [String: Any]
        #expect(reply?["pong"] as? Bool == true)
        let agentTime = try #require(reply?["agent_time_ms"] as? Int64)
        #expect(agentTime >= before && agentTime <= RuntimeFakeController.now())
    }

    @Test func factsResultCarriesHostFactsJSON() async throws {
        let supervisor = try factory([:]).make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-facts", RuntimeFakeController.action(.facts)))
        try await log.waitUntil { !$0.results.isEmpty }
        let result = try #require(log.results.first)
        #expect(result.status == .succeeded)
        #expect(try JSONDecoder().decode(HostFacts.self, from: Data(result.structuredJson)) == RuntimeSamples.facts)
    }

    @Test func failingActionBecomesFailedResultWithItsError() async throws {
        let supervisor = try factory([:]).make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-metrics", RuntimeFakeController.action(.metrics)))
        try await log.waitUntil { !$0.results.isEmpty }
        let result = try #require(log.results.first)
        #expect(result.status == .failed)
        #expect(result.error.contains("metrics unavailable"))
    }

    struct RejectionCase: Sendable, CustomTestStringConvertible {
        var name: String
        var code: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        RejectionCase(name: "wrong key", code: "bad_signature"),
        RejectionCase(name: "wrong agent", code: "wrong_agent"),
        RejectionCase(name: "expired", code: "expired"),
        RejectionCase(name: "not yet valid", code: "not_yet_valid"),
    ])
    func badOffersAreRejectedWithTheirCodeAndNothingIsSpooled(_ rejection: RejectionCase) async throws {
        let factory = self.factory(["touch": RuntimeSupervisorFactory.shell("echo ran >> \(directory.file("ran"))")])
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        let action = RuntimeFakeController.exec("touch")
        let now = RuntimeFakeController.now()
        let offer: StewardMessage
        switch rejection.name {
        case "wrong key": offer = try controller.offer("job-x", action, signer: RuntimeFakeController().signer)
        case "wrong agent": offer = try controller.offer("job-x", action, agentID: "someone-else")
        case "expired": offer = try controller.offer("job-x", action, notBefore: now - 600_000, expires: now - 120_000)
        default: offer = try controller.offer("job-x", action, notBefore: now + 120_000, expires: now + 600_000)
        }

        await supervisor.handle(offer)

        #expect(log.rejected.map(\.code) == [rejection.code])
        #expect(log.rejected.first?.jobID == "job-x")
        #expect(log.accepted.isEmpty)
        #expect(try ResultSpool(directory: factory.spoolPath).jobIDs().isEmpty)
        try await Task.sleep(for: .milliseconds(100))
        #expect(directory.read("ran") == nil)
    }

    @Test func replayedOfferIsRejectedEvenByARestartedAgent() async throws {
        let factory = self.factory(["count": RuntimeSupervisorFactory.shell("echo ran >> \(directory.file("ran"))")])
        let offer = try controller.offer("job-once", RuntimeFakeController.exec("count"))
        let first = try factory.make()
        let log = RuntimeMessageLog()
        await first.connected(send: log.send)
        await first.handle(offer)
        try await log.waitUntil { !$0.results.isEmpty }
        var ack = Wire.ResultAck()
        ack.jobID = "job-once"
        await first.handle(.resultAck(ack))

        await first.handle(offer)
        let restarted = try factory.make()
        try await restarted.recover()
        await restarted.connected(send: log.send)
        await restarted.handle(offer)

        #expect(log.rejected.map(\.code) == ["replayed", "replayed"])
        #expect(directory.lines("ran") == ["ran"])
        #expect(try ResultSpool(directory: factory.spoolPath).jobIDs().isEmpty)
    }

    @Test func policyDenialIsRejectedAsPolicyDenied() async throws {
        let factory = self.factory([:])
        let policy = AgentPolicy.default
        let supervisor = try factory.make(authorizer: .policy(
            policy, serviceManager: ServiceManager(runner: CommandRunner(logger: RuntimeSupervisorFactory.logger))))
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)

        await supervisor.handle(try controller.offer("job-deny", RuntimeFakeController.exec("rm-everything")))
        await supervisor.handle(try controller.offer("job-reboot", RuntimeFakeController.action(.reboot)))

        #expect(log.rejected.map(\.code) == ["policy_denied", "policy_denied"])
        #expect(log.rejected.first?.reason.contains("rm-everything") == true)
        #expect(log.rejected.last?.reason.contains("reboot") == true)
        #expect(try ResultSpool(directory: factory.spoolPath).jobIDs().isEmpty)
    }

    @Test func policyAllowedCommandRunsWithTheResolvedArgv() async throws {
        let factory = self.factory([:])
        let policy = AgentPolicy(commands: ["hello": .init(argv: ["/bin/echo", "from", "policy"])])
        let supervisor = try factory.make(authorizer: .policy(
            policy, serviceManager: ServiceManager(runner: CommandRunner(logger: RuntimeSupervisorFactory.logger))))
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-hello", RuntimeFakeController.exec("hello")))
        try await log.waitUntil { !$0.results.isEmpty }
        #expect(log.output(.stdout) == "from policy\n")
        #expect(log.results.first?.status == .succeeded)
    }

    @Test func hostileJobIDIsRejectedAndNeverBecomesAPath() async throws {
        let factory = self.factory(["count": RuntimeSupervisorFactory.shell("echo ran >> \(directory.file("ran"))")])
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)

        for id in ["../x", "a/b", "..", String(repeating: "a", count: 65)] {
            await supervisor.handle(try controller.offer(id, RuntimeFakeController.exec("count")))
        }

        #expect(log.rejected.map(\.code) == Array(repeating: "invalid_job_id", count: 4))
        #expect(!FileManager.default.fileExists(atPath: directory.file("x")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: factory.spoolPath).isEmpty)
        #expect(directory.read("ran") == nil)
    }
}
