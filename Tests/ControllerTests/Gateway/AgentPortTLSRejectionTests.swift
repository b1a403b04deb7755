import Foundation
import Logging
import NIOSSL
import StewardAgent
import StewardProtocol
import Testing
@testable import StewardController

/// Hostile TLS peers on a real controller's agent port: each refusal is counted once, under its own reason.
@Suite("Agent port TLS rejections are counted", .timeLimit(.minutes(1)))
struct AgentPortTLSRejectionTests {
    @Test func aCertificateFromAnotherCAIsCountedAsUnknownCA() async throws {
        try await AgentPortRejectionTests.withController(handshakeTimeout: .seconds(10)) { runtime in
            let port = try await Self.agentPort(runtime)
            let stranger = try MutualTLSTests.Fixture.make(agentID: "web-1")
            let context = try NIOSSLContext(configuration: AgentTLS.sessionConfiguration(
                caDER: runtime.authority.caCertificateDER, certificateDER: stranger.agentCertificateDER,
                privateKey: stranger.agentKey.privateKey))
            await #expect(throws: (any Error).self) {
                _ = try await echoOverTLS(port: port) { try AgentTLS.makeSessionHandler(context: context) }
            }
            try await eventually { runtime.metrics.rejections(.agentGateway, .unknownCA) >= 1 }
            #expect(runtime.metrics.rejections(.agentGateway, .unknownCA) == 1)
            #expect(runtime.metrics.rejections(.agentGateway, .tlsHandshake) == 0)
        }
    }

    @Test func anOversizedFrameFromAnAnonymousPeerIsCountedAsFrameTooLarge() async throws {
        try await AgentPortRejectionTests.withController(handshakeTimeout: .seconds(10)) { runtime in
            let port = try await Self.agentPort(runtime)
            let enrollment = try AgentTLS.enrollment(pinnedCAFingerprint: runtime.authority.caFingerprint)
            // A length prefix of 256 MiB, far past the 1 MiB frame limit: refused before anything is buffered.
            await #expect(throws: (any Error).self) {
                _ = try await echoOverTLS(port: port, message: "\u{10}\u{0}\u{0}\u{0}") { try enrollment.makeClientHandler() }
            }
            try await eventually { runtime.metrics.rejections(.agentGateway, .frameTooLarge) >= 1 }
            #expect(runtime.metrics.rejections(.agentGateway, .frameTooLarge) == 1)
            #expect(try await runtime.database.agents().isEmpty, "nothing was enrolled")
        }
    }

    @Test func aForgedJoinTokenIsCountedAsBadTokenAndEnrollsNothing() async throws {
        try await AgentPortRejectionTests.withController(handshakeTimeout: .seconds(10)) { runtime in
            let address = await runtime.advertisedAgentAddress()
            let directory = NSTemporaryDirectory() + "steward-agent-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            // The right controller and CA, but a secret no `steward tokens create` ever issued.
            let forged = try JoinToken.generate(controller: address, caFingerprint: runtime.authority.caFingerprint)
            let facts = HostFacts(
                hostname: "web-1", osName: "Debian", kernel: "6.1", architecture: "x86_64", cpuCount: 2, memoryBytes: 1 << 30,
                ipAddresses: [], bootID: "boot-1", agentVersion: "test")
            let enroller = Enroller(
                stateDirectory: AgentStateDirectory(path: directory), facts: { facts }, responseTimeout: .seconds(10),
                logger: AgentPortRejectionTests.quiet)
            await #expect(throws: (any Error).self) {
                _ = try await enroller.enroll(EnrollmentRequest(token: forged.encoded, name: "web-1"))
            }
            #expect(runtime.metrics.rejections(.enrollment, .badToken) == 1)
            #expect(try await runtime.database.agents().isEmpty, "nothing was enrolled")
        }
    }

    static func agentPort(_ runtime: ControllerRuntime) async throws -> Int {
        let address = await runtime.advertisedAgentAddress()
        return try #require(address.split(separator: ":").last.flatMap { Int($0) })
    }
}
