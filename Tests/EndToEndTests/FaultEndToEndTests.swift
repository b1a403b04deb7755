import Foundation
import Testing

/// Crashes, reboots and impostors, with real processes.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct FaultEndToEndTests {
    /// The controller is SIGKILLed while an agent runs a 5-second command; after a restart the result
    /// arrives and is in history exactly once, with its output stored once.
    @Test func controllerKilledMidJobStillGetsTheResultExactlyOnce() async throws {
        try Harness.requireBinaries()
        let root = try Harness.temporaryDirectory("crash")
        let controller = ControllerUnderTest(root: root)
        let web = try AgentUnderTest(root: root, name: "web-01", policy: Policies.standard)

        try await withLogsOnFailure([("controller", { controller.log }), ("web-01", { web.log })], cleanup: { await web.stop(); await controller.stop() }) {
            try await controller.start()
            try #require(try await web.enroll(token: try await controller.createToken(labels: "role=web")).status == 0)
            try web.start()
            try await Harness.eventually("web-01 online") { try await controller.agents().first?.state == "online" }

            let submitted = try await controller.cli(["run", "--target", "web-01", "--detach", "exec", "slow5"])
            let jobID = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(submitted.status == 0 && jobID.count == 26, "submit failed: \(submitted.stderr)")
            try await Harness.eventually("the run is running on the agent") {
                try await controller.job(jobID).runs.first?.status == "running"
            }
            let agentPort = controller.agentAddress
            let apiURL = controller.apiURL
            controller.crash()
            try await Task.sleep(for: .seconds(1))
            let apiAddress = String(apiURL.dropFirst("http://".count))
            try await controller.start(agentListen: agentPort, apiListen: apiAddress)

            try await Harness.eventually("the job finishes after the restart", timeout: .seconds(90)) {
                try await controller.job(jobID).runs.first?.final == true
            }
            let job = try await controller.job(jobID)
            let run = try #require(job.runs.first)
            #expect(job.runs.count == 1)
            #expect(run.status == "succeeded")
            #expect(run.exit_code == 0)
            #expect(run.stdout_bytes == Int64("finished\n".utf8.count), "output stored exactly once")
            let history: [HistoryView] = try await controller.json(["history", "web-01"])
            #expect(history.filter { $0.job_id == jobID }.count == 1)
            let shown = try await controller.cli(["job", jobID])
            #expect(shown.stdout.components(separatedBy: "web-01 | finished").count - 1 == 1)
            // The agent deleted its spooled copy once the controller acknowledged it.
            try await Harness.eventually("the spool is empty") {
                (try? FileManager.default.contentsOfDirectory(atPath: "\(web.stateDir)/spool"))?.isEmpty ?? true
            }
        }
    }

    /// `reboot` is tracked until the agent comes back with a new boot id; the reboot is simulated
    /// by a reboot command that rewrites the boot-id file and stops the agent.
    @Test func rebootSucceedsWhenTheAgentReturnsWithANewBootID() async throws {
        try Harness.requireBinaries()
        let root = try Harness.temporaryDirectory("reboot")
        let bootIDFile = "\(root)/boot_id"
        try "boot-before-reboot\n".write(toFile: bootIDFile, atomically: true, encoding: .utf8)
        let controller = ControllerUnderTest(root: root)
        let web = try AgentUnderTest(root: root, name: "web-01", policy: Policies.rebootable(bootIDFile: bootIDFile))

        try await withLogsOnFailure([("controller", { controller.log }), ("web-01", { web.log })], cleanup: { await web.stop(); await controller.stop() }) {
            try await controller.start()
            try #require(try await web.enroll(token: try await controller.createToken(labels: "role=web")).status == 0)
            try web.start()
            try await Harness.eventually("web-01 online") { try await controller.agents().first?.state == "online" }
            #expect(try await controller.agents().first?.boot_id == "boot-before-reboot")

            let submitted = try await controller.cli(["run", "--target", "web-01", "--detach", "reboot"])
            let jobID = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(submitted.status == 0, "submit failed: \(submitted.stderr)")
            try await Harness.eventually("the agent goes down for its reboot") { web.process?.isRunning == false }
            #expect(try await controller.job(jobID).runs.first?.final == false, "not done until the agent is back")

            try web.start()
            try await Harness.eventually("the reboot run finishes") { try await controller.job(jobID).runs.first?.final == true }
            let run = try #require(try await controller.job(jobID).runs.first)
            #expect(run.status == "succeeded")
            let structured = try #require(run.structured_json)
            #expect(structured.contains("\"boot_id\":\"boot-after-reboot\""), "\(structured)")
            #expect(structured.contains("downtime_ms"))
            #expect(try await controller.agents().first?.boot_id == "boot-after-reboot")
        }
    }

    /// An agent whose certificate comes from another controller's CA is refused during the TLS
    /// handshake, even though it trusts this controller's CA.
    @Test func certificateFromAnotherCAIsRefusedAtTheTLSLayer() async throws {
        try Harness.requireBinaries()
        let root = try Harness.temporaryDirectory("foreign")
        let controller = ControllerUnderTest(root: root, name: "controller")
        let other = ControllerUnderTest(root: root, name: "other")
        let impostor = try AgentUnderTest(root: root, name: "impostor", policy: Policies.standard)

        try await withLogsOnFailure([("controller", { controller.log }), ("impostor", { impostor.log })], cleanup: { await impostor.stop(); await controller.stop(); await other.stop() }) {
            try await controller.start()
            try await other.start()
            try #require(try await impostor.enroll(token: try await other.createToken(labels: "role=web")).status == 0)
            await other.stop()

            // Point the impostor at our controller and make it trust our CA: only its certificate is foreign.
            try Self.pemToDER(at: "\(controller.stateDir)/pki/ca.crt").write(to: URL(fileURLWithPath: "\(impostor.stateDir)/identity/ca-cert.der"))
            let recordPath = "\(impostor.stateDir)/agent.json"
            var record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: recordPath))) as? [String: Any])
            record["controller"] = controller.agentAddress
            try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: recordPath))

            try impostor.start()
            try await Harness.eventually("the impostor's handshake fails") {
                impostor.log.contains("could not start a session") || impostor.log.contains("session ended")
            }
            try await Task.sleep(for: .seconds(2))
            // The controller's TLS layer refuses the certificate; the impostor sees the alert.
            #expect(controller.log.contains("CERTIFICATE_VERIFY_FAILED"), "\(controller.log.suffix(2000))")
            #expect(impostor.log.contains("UNKNOWN_CA"), "\(impostor.log.suffix(2000))")
            #expect(!impostor.log.contains("session established"))
            #expect(try await controller.agents().isEmpty, "no agent ever registered")
        }
    }

    /// A client that connects and never speaks (no TLS hello, or TLS then nothing) is dropped at the handshake
    /// timeout instead of holding a connection forever.
    @Test func aSilentPeerIsDroppedAtTheHandshakeTimeout() async throws {
        try Harness.requireBinaries()
        let root = try Harness.temporaryDirectory("silent")
        let controller = ControllerUnderTest(root: root)
        try await withLogsOnFailure([("controller", { controller.log })], cleanup: { await controller.stop() }) {
            try await controller.start()
            let port = try #require(controller.agentAddress.split(separator: ":").last.flatMap { Int($0) })
            let socket = try TestSocket(port: port)
            defer { socket.close() }
            let started = ContinuousClock.now
            var closed = false
            while !closed, ContinuousClock.now - started < .seconds(40) {
                if try socket.readAvailable() == nil { closed = true } else { try await Task.sleep(for: .milliseconds(200)) }
            }
            let waited = ContinuousClock.now - started
            #expect(closed, "the controller still holds a connection that sent nothing after \(waited)")
            #expect(waited >= .seconds(9), "dropped at the 10 s handshake timeout, not before (\(waited))")
            #expect(controller.log.contains("dropped a peer that sent no message"))
        }
    }

    static func pemToDER(at path: String) throws -> Data {
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Data(base64Encoded: body) else { throw HarnessError("\(path) is not PEM") }
        return der
    }
}
