import Crypto
import StewardProtocol
import X509

/// Checks an `EnrollResponse` before anything is stored: the certificate is for our key and
/// issued by the CA, the CA is the one pinned by the token, and the job key is an Ed25519 key.
enum EnrollmentResponseCheck {
    struct Issued: Sendable {
        var agentID: String
        var certificateDER: [UInt8]
        var caDER: [UInt8]
        var jobSigningKey: [UInt8]
        var labels: [String: String]
    }

    static let maxAgentIDLength = 128

    static func validate(_ response: Wire.EnrollResponse, key: AgentKeyPair, token: JoinToken) throws -> Issued {
        let id = response.agentID
        guard !id.isEmpty, id.utf8.count <= maxAgentIDLength, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw invalid("the agent id is empty, too long or not printable ASCII")
        }
        guard ConstantTime.equals(Array(SHA256.hash(data: response.caCertificateDer)), token.caFingerprint) else {
            throw invalid("the CA certificate does not match the token's fingerprint")
        }
        let certificate: Certificate
        let ca: Certificate
        do {
            certificate = try Certificate(derEncoded: Array(response.certificateDer))
            ca = try Certificate(derEncoded: Array(response.caCertificateDer))
        } catch {
            throw invalid("a certificate does not parse: \(error)")
        }
        guard certificate.publicKey == Certificate.PublicKey(key.privateKey.publicKey) else {
            throw invalid("the issued certificate is not for this agent's key")
        }
        guard certificate.issuer == ca.subject, ca.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            throw invalid("the issued certificate is not signed by the controller CA")
        }
        guard (try? Curve25519.Signing.PublicKey(rawRepresentation: response.jobSigningPublicKey)) != nil else {
            throw invalid("the job-signing key is not a 32-byte Ed25519 public key")
        }
        return Issued(
            agentID: id, certificateDER: Array(response.certificateDer), caDER: Array(response.caCertificateDer),
            jobSigningKey: Array(response.jobSigningPublicKey), labels: response.labels)
    }

    private static func invalid(_ reason: String) -> AgentRuntimeError {
        AgentRuntimeError(.invalidResponse, "the controller's enrollment answer is unusable: \(reason)")
    }
}
