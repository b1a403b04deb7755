import Crypto
import Foundation
import StewardProtocol
import SwiftASN1
import X509

/// How the controller's own certificates are shaped: the CA and the TLS server certificate.
enum CertificateTemplates {
    static let caValidity: TimeInterval = 10 * 365 * 86_400
    static let serverValidity: TimeInterval = 365 * 86_400
    /// Certificates start a little in the past so a peer whose clock is slightly behind accepts them.
    static let backdate: TimeInterval = 300

    static func makeCA(key: P256.Signing.PrivateKey, now: Date) throws -> Certificate {
        let publicKey = Certificate.PublicKey(key.publicKey)
        let name = try DistinguishedName {
            OrganizationName("Steward")
            CommonName("Steward CA")
        }
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: randomSerial()),
            publicKey: publicKey,
            notValidBefore: now - backdate,
            notValidAfter: now + caValidity,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
    }

    static func makeServer(
        key: P256.Signing.PrivateKey,
        names: [String],
        ca: Certificate,
        caKey: P256.Signing.PrivateKey,
        now: Date
    ) throws -> Certificate {
        // No IP SANs: NIOSSL would accept an IP SAN matching the dialled address whatever the
        // expected hostname is, so the controller is pinned by name only.
        let sans = SubjectAlternativeNames(names.map { GeneralName.dnsName($0) })
        let subject = try DistinguishedName {
            OrganizationName("Steward")
            CommonName(StewardTLS.controllerServerName)
        }
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: randomSerial()),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now - backdate,
            notValidAfter: min(now + serverValidity, ca.notValidAfter),
            issuer: ca.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                sans
                try authorityKeyIdentifier(of: ca)
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey)
        )
    }

    static func authorityKeyIdentifier(of ca: Certificate) throws -> AuthorityKeyIdentifier {
        guard let ski = try ca.extensions.subjectKeyIdentifier else {
            throw PKIError(.corruptState, "CA certificate has no subject key identifier")
        }
        return AuthorityKeyIdentifier(keyIdentifier: ski.keyIdentifier)
    }

    /// 16 random bytes as a positive DER INTEGER with no leading zero byte.
    static func randomSerial() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return bytes
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    static func dnsNames(of certificate: Certificate) throws -> Set<String> {
        guard let sans = try certificate.extensions.subjectAlternativeNames else { return [] }
        var names = Set<String>()
        for case .dnsName(let name) in sans { names.insert(name) }
        return names
    }
}
