import Crypto
import Foundation
import SwiftASN1
import X509

/// Small certificate factory for verifier tests: a CA and server leaves with knobs to break them.
struct PinningTestCA {
    let key = P256.Signing.PrivateKey()
    let certificate: Certificate
    let der: [UInt8]

    var fingerprint: [UInt8] { Array(SHA256.hash(data: der)) }

    init(name: String = "Test CA", isCA: Bool = true, notBefore: Date, notAfter: Date) throws {
        let subject = try DistinguishedName { CommonName(name) }
        let publicKey = Certificate.PublicKey(key.publicKey)
        certificate = try Certificate(
            version: .v3, serialNumber: .init(bytes: [1]), publicKey: publicKey,
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions {
                Critical(isCA ? BasicConstraints.isCertificateAuthority(maxPathLength: 0) : .notCertificateAuthority)
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(key))
        der = try Self.der(of: certificate)
    }

    func issueServer(
        names: [String] = ["controller.steward.internal"],
        usages: [ExtendedKeyUsage.Usage] = [.serverAuth],
        notBefore: Date,
        notAfter: Date
    ) throws -> [UInt8] {
        let leafKey = P256.Signing.PrivateKey()
        let leaf = try Certificate(
            version: .v3, serialNumber: .init(bytes: [2]), publicKey: .init(leafKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: certificate.subject, subject: DistinguishedName { CommonName("server") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                try ExtendedKeyUsage(usages)
                SubjectAlternativeNames(names.map { .dnsName($0) })
            },
            issuerPrivateKey: .init(key))
        return try Self.der(of: leaf)
    }

    static func der(of certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
