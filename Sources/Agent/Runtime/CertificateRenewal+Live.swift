#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StewardProtocol
import X509

extension CertificateRenewal {
    /// Renewal of the certificate stored in `state`, with CSRs from the agent's existing key.
    public static func live(state: AgentStateDirectory, identity: AgentIdentity) -> CertificateRenewal {
        CertificateRenewal(
            validity: {
                let certificate = try parse(try state.readState(state.certificatePath, what: "agent certificate"))
                return Validity(
                    notBefore: milliseconds(certificate.notValidBefore), notAfter: milliseconds(certificate.notValidAfter))
            },
            makeCSR: { try identity.keyPair.makeCSR(name: identity.record.name) },
            install: { der in
                let certificate = try parse(der)
                let ca = try parse(identity.caDER)
                guard certificate.publicKey == Certificate.PublicKey(identity.keyPair.privateKey.publicKey) else {
                    throw AgentRuntimeError(.invalidResponse, "the renewed certificate is not for this agent's key")
                }
                guard certificate.issuer == ca.subject, ca.publicKey.isValidSignature(certificate.signature, for: certificate) else {
                    throw AgentRuntimeError(.invalidResponse, "the renewed certificate is not signed by the controller CA")
                }
                try SecureFile.write(der, to: state.certificatePath)
            })
    }

    static func parse(_ der: [UInt8]) throws -> Certificate {
        do {
            return try Certificate(derEncoded: der)
        } catch {
            throw AgentRuntimeError(.invalidResponse, "certificate does not parse: \(error)")
        }
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
