import Crypto
import Foundation
import Logging
import Synchronization
import Testing
import X509

@testable import StewardAgent
import StewardProtocol

@Suite(.timeLimit(.minutes(1)))
struct EnrollerTests {
    let directory: RuntimeTestDirectory
    let pki: RuntimeTestPKI
    let jobKey = Curve25519.Signing.PrivateKey()
    let secret = [UInt8](repeating: 7, count: 32)

    init() throws {
        directory = try RuntimeTestDirectory()
        pki = try RuntimeTestPKI()
    }

    /// A controller that enrolls a request carrying `secret` and refuses any other, like a used token.
    func startController(received: RuntimeBox<[Wire.EnrollRequest]>) async throws -> RuntimeFakeTLSController {
        let pki = self.pki
        let secret = self.secret
        let jobKey = self.jobKey.publicKey.rawRepresentation
        return try await RuntimeFakeTLSController(configuration: try pki.serverConfiguration(mutual: false)) { connection in
            try await connection.executeThenClose { inbound, outbound in
                for try await message in inbound {
                    guard case .enrollRequest(let request) = message else { return }
                    received.update { $0.append(request) }
                    guard Array(request.tokenSecret) == secret else {
                        try await outbound.write(.error(.enrollmentRefused, "token already used"))
                        return
                    }
                    var response = Wire.EnrollResponse()
                    response.agentID = "agent-42"
                    response.certificateDer = Data(try pki.issue(csrDER: Array(request.csrDer), agentID: "agent-42"))
                    response.caCertificateDer = Data(pki.caDER)
                    response.jobSigningPublicKey = jobKey
                    response.labels = ["role": "web", "env": "prod"]
                    try await outbound.write(.enrollResponse(response))
                    return
                }
            }
        }
    }

    func enroller(_ state: AgentStateDirectory) -> Enroller {
        Enroller(stateDirectory: state, facts: { RuntimeSamples.facts }, responseTimeout: .seconds(10), logger: RuntimeSupervisorFactory.logger)
    }

    @Test func enrollsThroughThePinnedCAAndStoresAPrivateIdentity() async throws {
        let received = RuntimeBox<[Wire.EnrollRequest]>([])
        let controller = try await startController(received: received)
        let token = try JoinToken(controller: controller.address, caFingerprint: pki.caFingerprint, secret: secret)
        let state = AgentStateDirectory(path: directory.file("state"))

        let record = try await enroller(state).enroll(EnrollmentRequest(token: token.encoded, name: "web-01"))
        await controller.stop()

        #expect(record.agentID == "agent-42")
        #expect(record.name == "web-01")
        #expect(record.controller == controller.address)
        #expect(record.labels == ["role": "web", "env": "prod"])
        let request = try #require(received.value.first)
        #expect(request.name == "web-01")
        #expect(request.agentVersion == StewardVersion.current)
        #expect(try JSONDecoder().decode(HostFacts.self, from: request.factsJson) == RuntimeSamples.facts)

        let identity = try AgentIdentity.load(from: state)
        #expect(identity.record == record)
        #expect(identity.caDER == pki.caDER)
        #expect(identity.jobSigningKey == Array(jobKey.publicKey.rawRepresentation))
        let csr = try CertificateSigningRequest(derEncoded: Array(request.csrDer))
        #expect(csr.publicKey == Certificate.PublicKey(identity.keyPair.privateKey.publicKey), "the key never left the host")
        for path in [state.privateKeyPath, state.certificatePath, state.caCertificatePath, state.jobSigningKeyPath, state.recordPath] {
            #expect(try SecureFile.permissions(of: path) == 0o600, "\(path)")
        }
        #expect(try SecureFile.permissions(of: state.identityDirectory) == 0o700)
    }

    @Test func refusesToOverwriteAnEnrollmentUnlessForcedAndReportsTheControllersRefusal() async throws {
        let received = RuntimeBox<[Wire.EnrollRequest]>([])
        let controller = try await startController(received: received)
        let token = try JoinToken(controller: controller.address, caFingerprint: pki.caFingerprint, secret: secret)
        let state = AgentStateDirectory(path: directory.file("state"))
        let first = try await enroller(state).enroll(EnrollmentRequest(token: token.encoded, name: "web-01"))

        let unforced = await runtimeError {
            _ = try await enroller(state).enroll(EnrollmentRequest(token: token.encoded, name: "web-01"))
        }
        #expect(unforced == AgentRuntimeError(
            .alreadyEnrolled,
            "this agent is already enrolled as web-01 (agent-42) with \(controller.address); use --force to enroll again"))
        let used = try JoinToken(controller: controller.address, caFingerprint: pki.caFingerprint, secret: [UInt8](repeating: 9, count: 32))
        let refused = await runtimeError {
            _ = try await enroller(state).enroll(EnrollmentRequest(token: used.encoded, name: "web-01", force: true))
        }
        #expect(refused == AgentRuntimeError(.refused, "the controller refused the enrollment: token already used"))
        await controller.stop()
        #expect(received.value.count == 2, "the unforced attempt never dialled")
        #expect(try state.loadRecord() == first, "a refused re-enrollment leaves the old identity")
    }

    @Test func refusesAControllerThatIsNotSignedByThePinnedCA() async throws {
        let received = RuntimeBox<[Wire.EnrollRequest]>([])
        let controller = try await startController(received: received)
        let otherCA = try RuntimeTestPKI()
        let token = try JoinToken(controller: controller.address, caFingerprint: otherCA.caFingerprint, secret: secret)
        let state = AgentStateDirectory(path: directory.file("state"))

        do {
            _ = try await enroller(state).enroll(EnrollmentRequest(token: token.encoded, name: "web-01"))
            Issue.record("enrolled with an unpinned controller")
        } catch let error as AgentRuntimeError {
            #expect(error.code == .connectionFailed)
            #expect(error.message.contains("not the one in the token"), "\(error.message)")
        }
        await controller.stop()
        #expect(received.value.isEmpty, "the secret was never sent")
        #expect(!state.isEnrolled)
    }

    @Test func unreachableControllerIsOneClearLine() async throws {
        let token = try JoinToken(controller: "127.0.0.1:1", caFingerprint: pki.caFingerprint, secret: secret)
        do {
            _ = try await enroller(AgentStateDirectory(path: directory.file("state"))).enroll(
                EnrollmentRequest(token: token.encoded, name: "web-01"))
            Issue.record("enrolled with nobody")
        } catch let error as AgentRuntimeError {
            #expect(error.code == .connectionFailed)
            #expect(!error.message.contains("\n"))
        }
    }

    @Test(arguments: [
        ("stw1_AAAA", "web-01", "invalid join token"),
        ("not-a-token", "web-01", "invalid join token"),
        ("", "../evil", "invalid join token"),
    ])
    func malformedTokensAreRejectedBeforeDialling(_ token: String, _ name: String, _ prefix: String) async throws {
        do {
            _ = try await enroller(AgentStateDirectory(path: directory.file("state"))).enroll(EnrollmentRequest(token: token, name: name))
            Issue.record("accepted \(token)")
        } catch let error as AgentRuntimeError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.hasPrefix(prefix))
        }
    }

    @Test(arguments: ["../evil", "", "-rf", "web 01", String(repeating: "a", count: 65)])
    func badAgentNamesAreRejected(_ name: String) async throws {
        let token = try JoinToken(controller: "127.0.0.1:1", caFingerprint: pki.caFingerprint, secret: secret)
        await #expect(throws: AgentRuntimeError.self) {
            try await enroller(AgentStateDirectory(path: directory.file("state"))).enroll(EnrollmentRequest(token: token.encoded, name: name))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("state")))
    }
}
