import Foundation
import Logging
import NIOCore
import NIOSSL
import StewardProtocol

/// Who the TLS layer says a peer is.
struct PeerIdentity: Sendable {
    var peer: AgentSessionStateMachine.Peer
    var certificateSerial: String?
}

/// Why an agent may not start a session: a metrics reason and the words the agent is sent.
struct AgentRefusal: Sendable, Hashable {
    var reason: RejectionReason
    var message: String
}

/// What every agent connection shares: registry, store, dispatcher, enrollment, PKI and metrics.
struct GatewayContext: Sendable {
    let database: StewardDatabase
    let registry: AgentRegistry
    let dispatcher: Dispatcher
    let enrollment: EnrollmentService
    let authority: CertificateAuthority
    let heartbeat: HeartbeatPolicy
    /// Ticks every session loop (one timer for all connections).
    let ticker: SessionTicker
    let certificateValidity: Duration
    /// Connection count, message rate and the other per-peer limits.
    let limits: ControllerLimits
    let metrics: ControllerMetrics
    let logger: Logger

    /// Reads the verified client certificate, if the peer presented one.
    func identify(_ channel: any Channel) async throws -> PeerIdentity {
        guard let certificate = try await channel.nioSSL_peerCertificate().get() else {
            return PeerIdentity(peer: .anonymous, certificateSerial: nil)
        }
        let der = try certificate.toDERBytes()
        let identity = try CertificateAuthority.agentIdentity(fromCertificateDER: der)
        return PeerIdentity(peer: .agent(id: identity.agentID), certificateSerial: identity.serial)
    }

    /// Nil when the agent may start a session, else the reason it may not.
    func authorize(agentID: String, certificateSerial: String?, hello: Wire.Hello) async -> AgentRefusal? {
        do {
            guard let agent = try await database.agent(id: agentID) else {
                return AgentRefusal(reason: .notEnrolled, message: "agent \(agentID) is not enrolled")
            }
            guard agent.status == .active else { return AgentRefusal(reason: .revoked, message: "agent \(agent.name) has been revoked") }
            guard agent.certSerial == certificateSerial else {
                return AgentRefusal(reason: .supersededCertificate, message: "certificate has been superseded")
            }
            try await database.updateAgentSession(
                id: agentID, facts: hello.factsJson.isEmpty ? nil : Data(hello.factsJson), version: hello.agentVersion,
                bootID: hello.bootID, lastSeen: Date())
            return nil
        } catch {
            logger.error("agent authorization failed", metadata: ["agent.id": "\(agentID)", "error": "\(error)"])
            return AgentRefusal(reason: .internalError, message: "the controller cannot check agents right now; retry later")
        }
    }

    func agentConnected(agentID: String, hello: Wire.Hello) async throws {
        try await dispatcher.agentConnected(agentID: agentID, hello: hello)
    }

    func agentDisconnected(agentID: String) async {
        try? await database.touchAgent(id: agentID, lastSeen: Date())
        dispatcher.events.emit(.agentDisconnected(agentID: agentID))
    }

    func handleSessionMessage(_ message: StewardMessage, from agentID: String, logger: Logger) async throws -> [StewardMessage] {
        switch message {
        case .renewCertificate(let request):
            let issued = try authority.issueAgentCertificate(
                csrDER: Array(request.csrDer), agentID: agentID, validity: certificateValidity, now: Date())
            try await database.updateAgentCertificate(id: agentID, serial: issued.serial, notAfter: issued.notAfter)
            logger.info("agent certificate renewed", metadata: ["cert.not_after": "\(issued.notAfter)"])
            var renewed = Wire.CertificateRenewed()
            renewed.certificateDer = Data(issued.der)
            return [.certificateRenewed(renewed)]
        default:
            return try await dispatcher.handle(message, from: agentID)
        }
    }
}
