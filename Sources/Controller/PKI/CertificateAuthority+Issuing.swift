import Crypto
import Foundation
import StewardProtocol
import SwiftASN1
import X509

/// An agent certificate fresh from the CA, with what the store records about it.
public struct IssuedCertificate: Sendable, Hashable {
    public let der: [UInt8]
    /// Lower-case hex of the serial number.
    public let serial: String
    public let notBefore: Date
    public let notAfter: Date
}

/// Who a verified agent certificate speaks for, and which certificate it is.
public struct AgentCertificateIdentity: Sendable, Hashable {
    public let agentID: String
    /// Lower-case hex of the serial number, as in `IssuedCertificate.serial`.
    public let serial: String
    public let notAfter: Date
}

extension CertificateAuthority {
    /// CSRs are a few hundred bytes; anything far larger is hostile.
    public static let maxCSRSize = 16 * 1024

    /// Issues a client certificate binding the CSR's key to `agentID`.
    ///
    /// The CSR's signature must verify (proof the agent holds the key) and the key must be P-256;
    /// the subject the agent asked for is ignored: the identity is the one enrollment decided.
    public func issueAgentCertificate(
        csrDER: [UInt8],
        agentID: String,
        validity: TimeInterval,
        now: Date
    ) throws -> IssuedCertificate {
        guard AgentIDRules.isValid(agentID) else {
            throw PKIError(.invalidAgentID, "agent id must be 1-\(AgentIDRules.maxLength) characters of [A-Za-z0-9._-]")
        }
        guard validity > 0 else {
            throw PKIError(.invalidValidity, "validity must be positive, got \(validity) s")
        }
        guard csrDER.count <= Self.maxCSRSize else {
            throw PKIError(.malformedCSR, "CSR is \(csrDER.count) bytes, limit \(Self.maxCSRSize)")
        }
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(derEncoded: csrDER)
        } catch {
            throw PKIError(.malformedCSR, "CSR does not parse: \(error)")
        }
        guard P256.Signing.PublicKey(csr.publicKey) != nil else {
            throw PKIError(.unsupportedKey, "agent keys must be P-256")
        }
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw PKIError(.invalidCSRSignature, "CSR signature does not verify with its own key")
        }

        let serial = CertificateTemplates.randomSerial()
        let notBefore = now - CertificateTemplates.backdate
        let notAfter = min(now + validity, caCertificate.notValidAfter)
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: serial),
            publicKey: csr.publicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: caCertificate.subject,
            subject: try DistinguishedName { CommonName(agentID) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
                SubjectAlternativeNames([.uniformResourceIdentifier(StewardTLS.agentURIPrefix + agentID)])
                try CertificateTemplates.authorityKeyIdentifier(of: caCertificate)
                SubjectKeyIdentifier(hash: csr.publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(caPrivateKey)
        )
        return IssuedCertificate(
            der: try CertificateTemplates.der(certificate),
            serial: Hex.encode(serial),
            notBefore: certificate.notValidBefore,
            notAfter: certificate.notValidAfter
        )
    }

    /// `issueAgentCertificate` with the validity as a `Duration` (sub-second parts kept).
    public func issueAgentCertificate(
        csrDER: [UInt8],
        agentID: String,
        validity: Duration,
        now: Date
    ) throws -> IssuedCertificate {
        let (seconds, attoseconds) = validity.components
        return try issueAgentCertificate(
            csrDER: csrDER, agentID: agentID,
            validity: TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18, now: now)
    }

    /// The agent id bound into an agent certificate: its single `steward://agent/<id>` URI SAN,
    /// which must agree with the subject CN. Call it only on certificates TLS already verified.
    public static func agentID(fromCertificateDER der: [UInt8]) throws -> String {
        try agentIdentity(fromCertificateDER: der).agentID
    }

    /// The agent id, serial and expiry of an agent certificate (see `agentID(fromCertificateDER:)`).
    public static func agentIdentity(fromCertificateDER der: [UInt8]) throws -> AgentCertificateIdentity {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: der)
        } catch {
            throw PKIError(.malformedCertificate, "certificate does not parse: \(error)")
        }
        let sans = try certificate.extensions.subjectAlternativeNames ?? SubjectAlternativeNames()
        var ids: [String] = []
        for case .uniformResourceIdentifier(let uri) in sans where uri.hasPrefix(StewardTLS.agentURIPrefix) {
            ids.append(String(uri.dropFirst(StewardTLS.agentURIPrefix.count)))
        }
        guard ids.count == 1, let id = ids.first, AgentIDRules.isValid(id) else {
            throw PKIError(.missingAgentIdentity, "certificate must carry exactly one valid \(StewardTLS.agentURIPrefix) URI, found \(ids.count)")
        }
        let commonNames = certificate.subject.flatMap { $0 }.filter { $0.type == .RDNAttributeType.commonName }
        guard commonNames.count == 1, let cn = commonNames.first.flatMap({ String($0.value) }), cn == id else {
            throw PKIError(.identityMismatch, "certificate CN does not match its agent URI \(id)")
        }
        return AgentCertificateIdentity(
            agentID: id, serial: Hex.encode(Array(certificate.serialNumber.bytes)), notAfter: certificate.notValidAfter)
    }
}
