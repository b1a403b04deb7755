import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

@testable import StewardAgent
import StewardProtocol

/// A throwaway controller PKI: CA, server certificate for controller.steward.internal, and
/// agent certificates issued from CSRs, as the controller would.
struct RuntimeTestPKI {
    let caKey = P256.Signing.PrivateKey()
    let ca: Certificate
    let serverKey = P256.Signing.PrivateKey()
    let server: Certificate

    init(serverName: String = StewardTLS.controllerServerName) throws {
        let now = Date()
        let caName = try DistinguishedName { CommonName("Steward Test CA") }
        ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86_400 * 365,
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))
        server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86_400 * 90,
            issuer: caName, subject: try DistinguishedName { CommonName(serverName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName(serverName)])
            },
            issuerPrivateKey: .init(caKey))
    }

    var caDER: [UInt8] { Self.der(ca) }
    var caFingerprint: [UInt8] { Array(SHA256.hash(data: caDER)) }

    /// Signs the CSR's key into an agent certificate valid from `notBefore` for `lifetime`.
    func issue(csrDER: [UInt8], agentID: String, notBefore: Date = Date() - 60, lifetime: TimeInterval = 86_400 * 90) throws -> [UInt8] {
        let csr = try CertificateSigningRequest(derEncoded: csrDER)
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: csr.publicKey,
            notValidBefore: notBefore, notValidAfter: notBefore + lifetime,
            issuer: ca.subject, subject: try DistinguishedName { CommonName(agentID) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
                SubjectAlternativeNames([.uniformResourceIdentifier(StewardTLS.agentURIPrefix + agentID)])
            },
            issuerPrivateKey: .init(caKey))
        return Self.der(certificate)
    }

    /// Server TLS: the chain includes the CA (agents pin it); `mutual` requires client certificates.
    func serverConfiguration(mutual: Bool) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificateSource] = [
            .certificate(try NIOSSLCertificate(bytes: Self.der(server), format: .der)),
            .certificate(try NIOSSLCertificate(bytes: caDER, format: .der)),
        ]
        let key = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(bytes: Array(serverKey.derRepresentation), format: .der))
        var configuration = mutual
            ? TLSConfiguration.makeServerConfigurationWithMTLS(
                certificateChain: chain, privateKey: key,
                trustRoots: .certificates([try NIOSSLCertificate(bytes: caDER, format: .der)]))
            : TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
        configuration.minimumTLSVersion = .tlsv13
        configuration.applicationProtocols = [StewardTLS.alpn]
        return configuration
    }

    static func der(_ certificate: Certificate) -> [UInt8] {
        var serializer = DER.Serializer()
        // Serialising a certificate we just built cannot fail short of a library bug.
        try? serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
