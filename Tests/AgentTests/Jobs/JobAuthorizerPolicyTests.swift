import Foundation
import Testing

@testable import StewardAgent
import StewardProtocol

@Suite(.timeLimit(.minutes(1)))
struct JobAuthorizerPolicyTests {
    let directory: RuntimeTestDirectory
    let controller = RuntimeFakeController()

    init() throws {
        directory = try RuntimeTestDirectory()
    }

    /// A policy whose service manager is a script that prints its arguments and exits 3, as
    /// `systemctl status` does for an inactive unit.
    func supervisor(_ policy: AgentPolicy) throws -> JobSupervisor {
        let runner = CommandRunner(logger: RuntimeSupervisorFactory.logger)
        let serviceManager = ServiceManager(
            runner: runner, argv: policy.system.serviceManager,
            timeout: policy.limits.defaultTimeout, outputLimit: policy.limits.outputMaxBytes)
        return try RuntimeSupervisorFactory(directory: directory, controller: controller)
            .make(authorizer: .policy(policy, serviceManager: serviceManager))
    }

    func service(_ operation: Wire.ServiceOperation, _ unit: String) -> Wire.Action {
        var action = RuntimeFakeController.action(.service)
        action.serviceOperation = operation
        action.service = unit
        return action
    }

    @Test func serviceStatusKeepsTheServiceManagersExitCode() async throws {
        var policy = AgentPolicy(services: ["nginx": [.status, .restart]])
        policy.system.serviceManager = ["/bin/sh", "-c", "echo \"$1 $2\"; exit 3", "fake-systemctl"]
        let supervisor = try supervisor(policy)
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)

        await supervisor.handle(try controller.offer("job-status", service(.status, "nginx")))
        await supervisor.handle(try controller.offer("job-stop", service(.stop, "nginx")))
        await supervisor.handle(try controller.offer("job-other", service(.restart, "postgresql")))
        try await log.waitUntil { !$0.results.isEmpty }

        let result = try #require(log.results.first)
        #expect(result.jobID == "job-status")
        #expect(result.status == .failed)
        #expect(result.exited && result.exitCode == 3)
        #expect(log.output(.stdout) == "status nginx\n")
        #expect(log.rejected.map(\.jobID) == ["job-stop", "job-other"])
        #expect(log.rejected.map(\.code) == ["policy_denied", "policy_denied"])
    }

    @Test func jobTimeoutShortensThePolicyLimitAndEndsAsTimedOut() async throws {
        let policy = AgentPolicy(commands: ["nap": .init(argv: ["/bin/sleep", "120"], timeout: .seconds(600))])
        let supervisor = try supervisor(policy)
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        var spec = Wire.JobSpec()
        spec.jobID = "job-nap"
        spec.agentID = RuntimeFakeController.agentID
        spec.action = RuntimeFakeController.exec("nap")
        spec.notBeforeMs = RuntimeFakeController.now() - 1000
        spec.expiresMs = RuntimeFakeController.now() + 60_000
        spec.nonce = Data(repeating: 4, count: 16)
        spec.timeoutMs = 200
        let started = ContinuousClock.now

        await supervisor.handle(.jobOffer(try controller.signer.sign(spec)))
        try await log.waitUntil(seconds: 60) { !$0.results.isEmpty }

        #expect(log.results.first?.status == .timedOut)
        #expect(ContinuousClock.now - started < .seconds(60), "the 200 ms job timeout, not the 120 s sleep or the 600 s policy limit")
    }

    @Test func timeoutAboveThePolicyLimitIsIgnored() {
        let spec = CommandSpec(executable: "/bin/true", timeout: .seconds(10))
        #expect(spec.capped(timeoutMs: 60_000).timeout == .seconds(10))
        #expect(spec.capped(timeoutMs: 0).timeout == .seconds(10))
        #expect(spec.capped(timeoutMs: 1500).timeout == .milliseconds(1500))
    }

    @Test func unknownActionKindsAreRejected() async throws {
        let supervisor = try supervisor(AgentPolicy.default)
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        await supervisor.handle(try controller.offer("job-none", RuntimeFakeController.action(.unspecified)))
        await supervisor.handle(try controller.offer("job-future", RuntimeFakeController.action(.UNRECOGNIZED(42))))
        await supervisor.handle(try controller.offer("job-noop", service(.unspecified, "nginx")))
        #expect(log.rejected.map(\.code) == ["policy_denied", "policy_denied", "policy_denied"])
        #expect(log.rejected.allSatisfy { $0.reason.contains("does not know") })
    }

    @Test func cancellingARebootWhileItsCommandRunsReportsCancelled() async throws {
        var factory = RuntimeSupervisorFactory(directory: directory, controller: controller)
        factory.plans["reboot"] = .reboot(CommandSpec(executable: "/bin/sleep", arguments: ["30"]))
        try directory.write("boot-A\n", to: "boot_id")
        let supervisor = try factory.make()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        var action = RuntimeFakeController.action(.reboot)
        action.command = "reboot"
        await supervisor.handle(try controller.offer("job-stop-reboot", action))
        let spool = try ResultSpool(directory: factory.spoolPath)
        try await log.waitUntil { _ in (try? spool.rebootMarker(SpoolJobID("job-stop-reboot"))) != nil }

        var cancel = Wire.Cancel()
        cancel.jobID = "job-stop-reboot"
        await supervisor.handle(.cancel(cancel))
        try await log.waitUntil { !$0.results.isEmpty }

        #expect(log.results.first?.status == .cancelled)
        #expect(try spool.rebootMarker(SpoolJobID("job-stop-reboot")) == nil)
    }
}
