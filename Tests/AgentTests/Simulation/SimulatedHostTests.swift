import Foundation
import Logging
import Testing

@testable import StewardAgent
import StewardProtocol

/// Simulated agents run the real supervisor (signature checks, spool, results) over canned host data.
struct SimulatedHostTests {
    let directory: RuntimeTestDirectory
    let controller = RuntimeFakeController()
    let host = SimulatedHost(name: "sim-00007", bootID: "simulated-boot-sim-00007", execReply: "hello from sim\n")

    init() throws { directory = try RuntimeTestDirectory() }

    func supervisor() throws -> JobSupervisor {
        JobSupervisor(
            spool: try ResultSpool(directory: directory.file("spool")),
            replayCache: try PersistentReplayCache(path: directory.file("replay-cache")),
            verifier: try JobVerifier(publicKey: controller.publicKey, agentID: RuntimeFakeController.agentID),
            authorizer: SimulatedHost.authorizer,
            toolkit: host.toolkit(),
            logger: RuntimeSupervisorFactory.logger)
    }

    @Test func execAnswersWithTheFixedReplyThroughOutputAndResult() async throws {
        let supervisor = try supervisor()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)

        await supervisor.handle(try controller.offer("job-exec", RuntimeFakeController.exec("uptime")))
        try await log.waitUntil { !$0.results.isEmpty }

        #expect(log.output(.stdout) == "hello from sim\n")
        let result = try #require(log.results.first)
        #expect(result.status == .succeeded)
        #expect(result.exitCode == 0)
        #expect(result.stdoutBytes == 15)
        // The result went through the real spool: it stays there until the controller acks it.
        #expect(try ResultSpool(directory: directory.file("spool")).jobIDs().map(\.rawValue) == ["job-exec"])
    }

    @Test func pingFactsAndMetricsComeFromCannedData() async throws {
        let supervisor = try supervisor()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)

        await supervisor.handle(try controller.offer("job-ping", RuntimeFakeController.action(.ping)))
        await supervisor.handle(try controller.offer("job-facts", RuntimeFakeController.action(.facts)))
        await supervisor.handle(try controller.offer("job-metrics", RuntimeFakeController.action(.metrics)))
        try await log.waitUntil { $0.results.count == 3 }

        let byID = Dictionary(uniqueKeysWithValues: log.results.map { ($0.jobID, $0) })
        #expect(log.results.allSatisfy { $0.status == .succeeded })
        let ping = try JSONDecoder().decode(PingReply.self, from: try #require(byID["job-ping"]).structuredJson)
        #expect(ping.pong)
        let facts = try JSONDecoder().decode(HostFacts.self, from: try #require(byID["job-facts"]).structuredJson)
        #expect(facts == host.facts)
        #expect(facts.hostname == "sim-00007" && facts.bootID == "simulated-boot-sim-00007")
        let metrics = try JSONDecoder().decode(HostMetrics.self, from: try #require(byID["job-metrics"]).structuredJson)
        #expect(metrics.cpu.idlePercent == 98 && metrics.memory.totalBytes == 4 << 30)
    }

    @Test func refusesServiceRebootAndOffersSignedByAnotherKey() async throws {
        let supervisor = try supervisor()
        let log = RuntimeMessageLog()
        await supervisor.connected(send: log.send)
        let stranger = RuntimeFakeController()

        await supervisor.handle(try controller.offer("job-reboot", RuntimeFakeController.action(.reboot)))
        await supervisor.handle(try stranger.offer("job-forged", RuntimeFakeController.exec("uptime")))
        try await log.waitUntil { $0.rejected.count + $0.results.count >= 2 }

        let refusals = log.rejected.map(\.jobID) + log.results.filter { $0.status == .rejected }.map(\.jobID)
        #expect(Set(refusals) == ["job-reboot", "job-forged"])
        #expect(log.outputs.isEmpty, "nothing ran")
    }

    @Test func helloCarriesTheCannedBootIDAndFacts() async throws {
        let hello = await host.hello(supervisor: try supervisor())
        #expect(hello.bootID == "simulated-boot-sim-00007")
        #expect(try JSONDecoder().decode(HostFacts.self, from: hello.factsJson) == host.facts)
        #expect(hello.agentVersion == StewardVersion.current)
    }
}

/// Fleet settings and enrollment guard rails (enrollment over TLS is covered end to end).
struct SimulatedFleetTests {
    static let logger = Logger(label: "steward.tests.simulation") { _ in SwiftLogNoOpLogHandler() }

    @Test func namesAreZeroPaddedSoTheySortInIndexOrder() throws {
        #expect(SimulatedFleet.name(prefix: "sim-", index: 0) == "sim-00000")
        #expect(SimulatedFleet.name(prefix: "sim-", index: 9_999) == "sim-09999")
        #expect(SimulatedFleet.name(prefix: "x", index: 123_456) == "x123456")
        let fleet = try SimulatedFleet(configuration: .init(count: 12, stateDirectory: "/nonexistent"), logger: Self.logger)
        #expect(fleet.names == fleet.names.sorted())
        #expect(fleet.names.count == 12 && fleet.names.last == "sim-00011")
    }

    @Test(arguments: [(0, "sim-"), (-3, "sim-"), (5, "-bad"), (5, "has space"), (5, "a/b")])
    func refusesNonsenseSettings(count: Int, prefix: String) {
        #expect(throws: AgentRuntimeError.self) {
            try SimulatedFleet(configuration: .init(count: count, stateDirectory: "/tmp", namePrefix: prefix), logger: Self.logger)
        }
    }

    @Test(arguments: [(0, 0), (-1, 0), (1, -1)])
    func refusesNonsenseExecStreaming(chunks: Int, intervalMilliseconds: Int) {
        #expect(throws: AgentRuntimeError.self) {
            try SimulatedFleet(
                configuration: .init(
                    count: 1, stateDirectory: "/tmp", execChunks: chunks, execInterval: .milliseconds(intervalMilliseconds)),
                logger: Self.logger)
        }
    }

    @Test func eachHostStreamsTheConfiguredChunks() throws {
        let fleet = try SimulatedFleet(
            configuration: .init(count: 2, stateDirectory: "/tmp", execReply: "r\n", execChunks: 20, execInterval: .milliseconds(50)),
            logger: Self.logger)
        let host = fleet.host("sim-00001")
        #expect(host.exec == SimulatedExec(reply: "r\n", chunks: 20, interval: .milliseconds(50)))
        #expect(host.exec.totalBytes == 40)
    }

    @Test func withoutATokenItSaysHowManyIdentitiesAreMissing() async throws {
        let directory = try RuntimeTestDirectory()
        let fleet = try SimulatedFleet(configuration: .init(count: 3, stateDirectory: directory.path), logger: Self.logger)
        let error = await runtimeError { try await fleet.enrollMissing(token: nil) }
        #expect(error?.code == .notEnrolled)
        #expect(error?.message.contains("3 simulated agents") == true)
    }

    @Test func aMalformedTokenFailsBeforeAnyIdentityIsStored() async throws {
        let directory = try RuntimeTestDirectory()
        let fleet = try SimulatedFleet(configuration: .init(count: 2, stateDirectory: directory.path), logger: Self.logger)
        let error = await runtimeError { try await fleet.enrollMissing(token: "stw1_not-a-token") }
        #expect(error?.code == .refused)
        #expect(error?.message.contains("invalid join token") == true)
        #expect(!AgentStateDirectory(path: directory.file("sim-00000")).isEnrolled)
    }
}
