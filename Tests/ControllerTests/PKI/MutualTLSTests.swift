import Crypto
import Foundation
import NIOCore
import NIOSSL
import StewardAgent
import StewardProtocol
import Testing
import X509

@testable import StewardController

/// Real TLS 1.3 on 127.0.0.1: the controller's server configuration against the agent's
/// enrollment and session configurations.
@Suite struct MutualTLSTests {
    /// A CA in a temporary directory, plus an agent certificate issued by it.
    struct Fixture {
        let ca: CertificateAuthority
        let agentKey: AgentKeyPair
        let agentCertificateDER: [UInt8]

        static func make(agentID: String = "web-1") throws -> Fixture {
            let directory = try PKITestFiles.makeTemporaryDirectory()
            defer { PKITestFiles.removeTree(directory) }
            let ca = try CertificateAuthority.loadOrCreate(directory: directory)
            let key = AgentKeyPair.generate()
            let issued = try ca.issueAgentCertificate(
                csrDER: key.makeCSR(name: agentID), agentID: agentID, validity: 86_400, now: Date())
            return Fixture(ca: ca, agentKey: key, agentCertificateDER: issued.der)
        }

        func sessionContext() throws -> NIOSSLContext {
            try NIOSSLContext(configuration: AgentTLS.sessionConfiguration(
                caDER: ca.caCertificateDER, certificateDER: agentCertificateDER, privateKey: agentKey.privateKey))
        }
    }

    @discardableResult
    static func withServer<T>(_ ca: CertificateAuthority, _ body: (LoopbackTLSServer) async throws -> T) async throws -> T {
        let server = try await LoopbackTLSServer.start(configuration: ControllerTLS.serverConfiguration(ca: ca))
        do {
            let result = try await body(server)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }

    @Test func agentWithIssuedCertificateCompletesMutualTLS() async throws {
        let fixture = try Fixture.make(agentID: "web-1")
        let context = try fixture.sessionContext()
        try await Self.withServer(fixture.ca) { server in
            let echo = try await echoOverTLS(port: server.port) { try AgentTLS.makeSessionHandler(context: context) }
            #expect(echo.text == "hello")
            guard case .handshakeCompleted(let peer?, let alpn, let version) = try await server.firstObservation() else {
                Issue.record("server saw no client certificate")
                return
            }
            #expect(alpn == "steward/1")
            #expect(version == .tlsv13)
            #expect(peer == fixture.agentCertificateDER)
            #expect(try CertificateAuthority.agentID(fromCertificateDER: peer) == "web-1")
        }
    }

    @Test func clientCertificateFromAnotherCAIsRefusedDuringTLS() async throws {
        let fixture = try Fixture.make()
        let stranger = try Fixture.make(agentID: "web-1")
        // Trusts the real controller, but presents a certificate issued by a different CA.
        let context = try NIOSSLContext(configuration: AgentTLS.sessionConfiguration(
            caDER: fixture.ca.caCertificateDER,
            certificateDER: stranger.agentCertificateDER,
            privateKey: stranger.agentKey.privateKey))
        try await Self.withServer(fixture.ca) { server in
            await #expect(throws: (any Error).self) {
                _ = try await echoOverTLS(port: server.port) { try AgentTLS.makeSessionHandler(context: context) }
            }
            guard case .failed(let reason) = try await server.firstObservation() else {
                Issue.record("server accepted a certificate from another CA")
                return
            }
            #expect(reason.contains("CERTIFICATE_VERIFY_FAILED"), "\(reason)")
        }
    }

    @Test func connectionWithoutClientCertificateIsAcceptedAndVisibleAsSuch() async throws {
        let fixture = try Fixture.make()
        let enrollment = try AgentTLS.enrollment(pinnedCAFingerprint: fixture.ca.caFingerprint)
        try await Self.withServer(fixture.ca) { server in
            let echo = try await echoOverTLS(port: server.port) { try enrollment.makeClientHandler() }
            #expect(echo.text == "hello")
            guard case .handshakeCompleted(let peer, let alpn, _) = try await server.firstObservation() else {
                Issue.record("handshake without client certificate failed")
                return
            }
            #expect(peer == nil)
            #expect(alpn == "steward/1")
        }
    }

    @Test func enrollmentTrustsThePinnedCAAndReturnsIt() async throws {
        let fixture = try Fixture.make()
        let rejections = RejectionLog()
        let enrollment = try AgentTLS.enrollment(
            pinnedCAFingerprint: fixture.ca.caFingerprint, onRejection: { rejections.append($0.code) })
        try await Self.withServer(fixture.ca) { server in
            let echo = try await echoOverTLS(port: server.port) { try enrollment.makeClientHandler() }
            #expect(echo.text == "hello")
            #expect(try enrollment.pinnedCACertificateDER(from: echo.validatedChain) == fixture.ca.caCertificateDER)
            #expect(try echo.validatedChain?.leaf.toDERBytes() == fixture.ca.serverCertificateDER)
        }
        #expect(rejections.codes.isEmpty)
    }

    @Test func enrollmentRefusesAControllerWithADifferentCA() async throws {
        let fixture = try Fixture.make()
        let impostor = try Fixture.make()
        let rejections = RejectionLog()
        let enrollment = try AgentTLS.enrollment(
            pinnedCAFingerprint: fixture.ca.caFingerprint, onRejection: { rejections.append($0.code) })
        try await Self.withServer(impostor.ca) { server in
            await #expect(throws: (any Error).self) {
                _ = try await echoOverTLS(port: server.port) { try enrollment.makeClientHandler() }
            }
        }
        #expect(rejections.codes == [.pinnedCANotPresented])
    }

    @Test func sessionRefusesAControllerFromAnotherCA() async throws {
        let fixture = try Fixture.make()
        let impostor = try Fixture.make()
        let context = try fixture.sessionContext()
        try await Self.withServer(impostor.ca) { server in
            await #expect(throws: (any Error).self) {
                _ = try await echoOverTLS(port: server.port) { try AgentTLS.makeSessionHandler(context: context) }
            }
        }
    }
}
