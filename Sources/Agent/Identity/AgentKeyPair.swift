#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import StewardProtocol
import SwiftASN1
import X509

/// The agent's TLS client key: made locally, never leaves the host; the controller only sees a CSR.
public struct AgentKeyPair: Sendable {
    public let privateKey: P256.Signing.PrivateKey

    public init(privateKey: P256.Signing.PrivateKey) {
        self.privateKey = privateKey
    }

    /// A fresh random P-256 key.
    public static func generate() -> AgentKeyPair {
        AgentKeyPair(privateKey: P256.Signing.PrivateKey())
    }

    /// A DER certificate signing request for `name`, signed with this key. The controller
    /// decides the final identity; `name` is only the agent's suggestion.
    public func makeCSR(name: String) throws -> [UInt8] {
        let csr = try CertificateSigningRequest(
            version: .v1,
            subject: DistinguishedName { CommonName(name) },
            privateKey: Certificate.PrivateKey(privateKey),
            attributes: CertificateSigningRequest.Attributes(),
            signatureAlgorithm: .ecdsaWithSHA256
        )
        var serializer = DER.Serializer()
        try serializer.serialize(csr)
        return serializer.serializedBytes
    }

    /// Stores the key as PKCS#8 PEM, mode 0600, atomically.
    public func save(to path: String) throws {
        try SecureFile.write(Array(privateKey.pemRepresentation.utf8), to: path, mode: 0o600)
    }

    /// Loads a key written by `save(to:)`.
    public static func load(from path: String) throws -> AgentKeyPair {
        let bytes = try SecureFile.read(path)
        guard let pem = String(validating: bytes, as: UTF8.self) else {
            throw AgentIdentityError(.malformedKey, "\(path) is not PEM text")
        }
        do {
            return AgentKeyPair(privateKey: try P256.Signing.PrivateKey(pemRepresentation: pem))
        } catch {
            throw AgentIdentityError(.malformedKey, "\(path) does not hold a P-256 private key: \(error)")
        }
    }
}
