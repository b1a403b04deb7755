import Crypto
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import X509

@testable import StewardAgent
import StewardProtocol

@Suite(.timeLimit(.minutes(1)))
struct AgentServiceTests {
    let directory: RuntimeTestDirectory

    init() throws {
        directory = try RuntimeTestDirectory()
    }

    /// What the fake controller saw, in order.
    final class Transcript: Sendable {
        let messages = Mutex<[StewardMessage]>([])
        let renewedCertificate = Mutex<[UInt8]?>(nil)
        var names: [String] { messages.withLock { $0.map(\.name) } }
        var hello: Wire.Hello? { messages.withLock { $0.compactMap { if case .hello(let h) = $0 { h } else { nil } }.first } }
        var results: [Wire.JobResult] { messages.withLock { $0.compactMap { if case .jobResult(let r) = $0 { r } else { nil } } } }
    }

    @Test func enrolledAgentRunsAJobOverMutualTLSResendsItsSpoolAndRenewsItsCertificate() async throws {
        let pki = try RuntimeTestPKI()
        let jobKey = Curve25519.Signing.PrivateKey()
        let state = AgentStateDirectory(path: directory.file("state"))
        try state.prepare()
        // Enrolled 80 days into a 90-day certificate: renewal is due.
        let key = AgentKeyPair.generate()
        try key.save(to: state.privateKeyPath)
        try SecureFile.write(
            try pki.issue(csrDER: key.makeCSR(name: "web-01"), agentID: "agent-7", notBefore: Date() - 80 * 86_400),
            to: state.certificatePath)
        try SecureFile.write(pki.caDER, to: state.caCertificatePath)
        try SecureFile.write(Array(jobKey.publicKey.rawRepresentation), to: state.jobSigningKeyPath)
        // A result left by the previous run, never acknowledged.
        let spool = try ResultSpool(directory: state.spoolDirectory)
        let old = try SpoolJobID("job-old")
        try spool.create(old, spec: Wire.JobSpec())
        try spool.appendOutput(old, stream: .stdout, bytes: Array("old output".utf8))
        var oldResult = Wire.JobResult()
        oldResult.jobID = "job-old"
        oldResult.status = .succeeded
        try spool.writeResult(old, oldResult)

        let transcript = Transcript()
        let (finished, done) = AsyncStream<Void>.makeStream()
        let controller = try await RuntimeFakeTLSController(configuration: try pki.serverConfiguration(mutual: true)) { connection in
            try await connection.executeThenClose { inbound, outbound in
                var pingDone = false
                var renewed = false
                for try await message in inbound {
                    transcript.messages.withLock { $0.append(message) }
                    switch message {
                    case .hello:
                        var welcome = Wire.Welcome()
                        welcome.version = 1
                        welcome.agentID = "agent-7"
                        welcome.heartbeatIntervalMs = 10_000
                        try await outbound.write(.welcome(welcome))
                    case .jobResult(let result):
                        var ack = Wire.ResultAck()
                        ack.jobID = result.jobID
                        try await outbound.write(.resultAck(ack))
                        if result.jobID == "job-old" {
                            var spec = Wire.JobSpec()
                            spec.jobID = "job-ping"
                            spec.agentID = "agent-7"
                            spec.action.kind = .ping
                            spec.notBeforeMs = RuntimeFakeController.now() - 1000
                            spec.expiresMs = RuntimeFakeController.now() + 60_000
                            spec.nonce = Data(repeating: 1, count: 16)
                            try await outbound.write(.jobOffer(try JobSigner(key: jobKey).sign(spec)))
                        } else {
                            pingDone = true
                        }
                    case .renewCertificate(let request):
                        let certificate = try pki.issue(csrDER: Array(request.csrDer), agentID: "agent-7")
                        transcript.renewedCertificate.withLock { $0 = certificate }
                        var renewal = Wire.CertificateRenewed()
                        renewal.certificateDer = Data(certificate)
                        try await outbound.write(.certificateRenewed(renewal))
                        renewed = true
                    default:
                        break
                    }
                    if pingDone, renewed {
                        try await outbound.write(.goAway(reason: "test over", retryAfterMilliseconds: 60_000))
                        done.yield()
                        return
                    }
                }
            }
        }
        try state.saveRecord(AgentRecord(
            agentID: "agent-7", name: "web-01", controller: controller.address, labels: [:], enrolledAtMilliseconds: 0))

        let service = try await AgentRuntime.makeService(stateDirectory: state, policy: .default, logger: RuntimeSupervisorFactory.logger)
        let running = Task { try await service.run() }
        var iterator = finished.makeAsyncIterator()
        _ = await iterator.next()
        // The agent handles the last ResultAck before the GoAway that follows it.
        for _ in 0..<200 where (try? spool.jobIDs().isEmpty) != true {
            try await Task.sleep(for: .milliseconds(10))
        }
        running.cancel()
        _ = await running.result
        await controller.stop()

        let hello = try #require(transcript.hello)
        #expect(hello.spooledJobIds == ["job-old"])
        #expect(hello.activeJobIds.isEmpty)
        #expect(hello.agentVersion == StewardVersion.current)
        #expect(hello.minVersion == 1 && hello.maxVersion == 1)
        #expect(!hello.factsJson.isEmpty)
        #expect(transcript.names.prefix(3) == ["Hello", "Output", "JobResult"], "spooled output, then its result, right after Welcome")
        #expect(transcript.results.map(\.jobID) == ["job-old", "job-ping"])
        #expect(transcript.results.last?.status == .succeeded)
        // A ping starts at once and is answered in-process: its result, with its start time, is the answer.
        #expect(!transcript.names.contains("JobAccepted"))
        #expect((transcript.results.last?.startedMs ?? 0) > 0)
        #expect(try spool.jobIDs().isEmpty, "acknowledged results are deleted")
        let renewedCertificate = try #require(transcript.renewedCertificate.withLock { $0 })
        #expect(try SecureFile.read(state.certificatePath) == renewedCertificate)
    }

    @Test func reconnectsWithBackoffWithinCeilingsAndHonoursTheGoAwayFloor() async throws {
        let delays = Mutex<[Int64]>([])
        let attempts = Mutex(0)
        let supervisor = try RuntimeSupervisorFactory(directory: directory, controller: RuntimeFakeController()).make()
        let service = AgentService(
            connect: {
                attempts.withLock { $0 += 1 }
                throw AgentRuntimeError(.connectionFailed, "refused")
            },
            makeHello: { Wire.Hello() },
            supervisor: supervisor,
            renewal: nil,
            sleep: { duration in
                let count = delays.withLock { delays in
                    delays.append(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
                    return delays.count
                }
                if count == 9 { throw CancellationError() }
            },
            logger: RuntimeSupervisorFactory.logger)

        await #expect(throws: CancellationError.self) { try await service.run() }

        let recorded = delays.withLock { $0 }
        #expect(attempts.withLock { $0 } == 9)
        let ceilings: [Int64] = [500, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]
        for (delay, ceiling) in zip(recorded, ceilings) {
            #expect(delay >= 0 && delay <= ceiling)
        }
    }

    @Test func goAwayRetryAfterIsAFloorForTheNextAttempt() async throws {
        let controller = try await RuntimeFakeTLSController(configuration: nil) { connection in
            try await connection.executeThenClose { inbound, outbound in
                for try await message in inbound {
                    guard case .hello = message else { continue }
                    var welcome = Wire.Welcome()
                    welcome.version = 1
                    try await outbound.write(.welcome(welcome))
                    try await outbound.write(.goAway(reason: "draining", retryAfterMilliseconds: 5_000))
                }
            }
        }
        let delays = Mutex<[Duration]>([])
        let supervisor = try RuntimeSupervisorFactory(directory: directory, controller: RuntimeFakeController()).make()
        let service = AgentService(
            connect: { try await controller.connectPlain() },
            makeHello: { Wire.Hello() },
            supervisor: supervisor,
            renewal: nil,
            sleep: { duration in
                if delays.withLock({ $0.append(duration); return $0.count }) == 3 { throw CancellationError() }
            },
            logger: RuntimeSupervisorFactory.logger)

        await #expect(throws: CancellationError.self) { try await service.run() }
        await controller.stop()

        let recorded = delays.withLock { $0 }
        #expect(recorded.count == 3)
        #expect(recorded.allSatisfy { $0 >= .seconds(5) && $0 <= .seconds(5) }, "\(recorded)")
    }

    @Test func gracefulShutdownEndsTheServiceCleanly() async throws {
        let supervisor = try RuntimeSupervisorFactory(directory: directory, controller: RuntimeFakeController()).make()
        let attempts = Mutex(0)
        let service = AgentService(
            connect: {
                attempts.withLock { $0 += 1 }
                throw AgentRuntimeError(.connectionFailed, "refused")
            },
            makeHello: { Wire.Hello() },
            supervisor: supervisor,
            renewal: nil,
            logger: RuntimeSupervisorFactory.logger)
        let group = ServiceGroup(services: [service], logger: RuntimeSupervisorFactory.logger)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(200))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(attempts.withLock { $0 } >= 1)
    }

    @Test func gracefulShutdownDuringAnActiveSessionStopsRunningJobsAndReturns() async throws {
        let controller = RuntimeFakeController()
        let established = RuntimeBox(false)
        let fake = try await RuntimeFakeTLSController(configuration: nil) { connection in
            try await connection.executeThenClose { inbound, outbound in
                for try await message in inbound {
                    guard case .hello = message else { continue }
                    var welcome = Wire.Welcome()
                    welcome.version = 1
                    try await outbound.write(.welcome(welcome))
                    try await outbound.write(try controller.offer("job-long", RuntimeFakeController.exec("long")))
                    established.update { $0 = true }
                }
            }
        }
        var factory = RuntimeSupervisorFactory(directory: directory, controller: controller)
        factory.plans["long"] = RuntimeSupervisorFactory.shell("sleep 30")
        let supervisor = try factory.make()
        let service = AgentService(
            connect: { try await fake.connectPlain() }, makeHello: { Wire.Hello() },
            supervisor: supervisor, renewal: nil, logger: RuntimeSupervisorFactory.logger)
        let group = ServiceGroup(services: [service], logger: RuntimeSupervisorFactory.logger)

        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while await supervisor.runningJobs == 0 { try await Task.sleep(for: .milliseconds(10)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await fake.stop()

        #expect(established.value)
        #expect(ContinuousClock.now - started < .seconds(25), "shutdown must not wait for the 30 s job")
        let spool = try ResultSpool(directory: factory.spoolPath)
        #expect(try spool.result(SpoolJobID("job-long"))?.status == .cancelled)
    }
}
