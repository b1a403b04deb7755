import Crypto
import Foundation
import StewardAgent
import StewardProtocol
import SwiftASN1
import Testing
import X509

@testable import StewardController

@Suite struct AgentCertificateIssuingTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let day: TimeInterval = 86_400

    static func withCA<T>(_ body: (CertificateAuthority) throws -> T) throws -> T {
        let directory = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(directory) }
        return try body(CertificateAuthority.loadOrCreate(directory: directory, now: now))
    }

    static func issueError(_ ca: CertificateAuthority, csr: [UInt8], agentID: String = "web-1", validity: TimeInterval = 30 * day) -> PKIError.Code? {
        do {
            _ = try ca.issueAgentCertificate(csrDER: csr, agentID: agentID, validity: validity, now: now)
            return nil
        } catch let error as PKIError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func issuedCertificateCarriesTheAssignedIdentity() throws {
        try Self.withCA { ca in
            let key = AgentKeyPair.generate()
            // The agent asks to be "db-9"; enrollment decided "web-1", and that wins.
            let csr = try key.makeCSR(name: "db-9")
            let issued = try ca.issueAgentCertificate(csrDER: csr, agentID: "web-1", validity: 30 * Self.day, now: Self.now)
            #expect(try CertificateAuthority.agentID(fromCertificateDER: issued.der) == "web-1")

            let certificate = try Certificate(derEncoded: issued.der)
            #expect(certificate.subject == (try DistinguishedName { CommonName("web-1") }))
            #expect(certificate.publicKey == Certificate.PublicKey(key.privateKey.publicKey))
            #expect(certificate.issuer == ca.caCertificate.subject)
            #expect(ca.caCertificate.publicKey.isValidSignature(certificate.signature, for: certificate))
            #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
            #expect(try certificate.extensions.extendedKeyUsage == ExtendedKeyUsage([.clientAuth]))
            let usage = try #require(try certificate.extensions.keyUsage)
            #expect(usage.digitalSignature && !usage.keyCertSign)
            #expect(Array(try #require(try certificate.extensions.subjectAlternativeNames)) == [.uniformResourceIdentifier("steward://agent/web-1")])
            let aki = try #require(try certificate.extensions.authorityKeyIdentifier)
            #expect(aki.keyIdentifier == (try ca.caCertificate.extensions.subjectKeyIdentifier)?.keyIdentifier)

            #expect(issued.serial.count == 32)
            #expect(issued.serial == Hex.encode(Array(certificate.serialNumber.bytes)))
            #expect(issued.notAfter == certificate.notValidAfter)
            #expect(abs(issued.notAfter.timeIntervalSince(Self.now) - 30 * Self.day) < 1)
            #expect(issued.notBefore <= Self.now)
        }
    }

    @Test func identityFromCertificateMatchesWhatWasIssued() throws {
        try Self.withCA { ca in
            let csr = try AgentKeyPair.generate().makeCSR(name: "x")
            let issued = try ca.issueAgentCertificate(csrDER: csr, agentID: "01jd5v3k", validity: .seconds(3 * 86_400), now: Self.now)
            let identity = try CertificateAuthority.agentIdentity(fromCertificateDER: issued.der)
            #expect(identity == AgentCertificateIdentity(agentID: "01jd5v3k", serial: issued.serial, notAfter: issued.notAfter))
            #expect(abs(identity.notAfter.timeIntervalSince(Self.now) - 3 * Self.day) < 1)
        }
    }

    @Test func serialsAreUnique() throws {
        try Self.withCA { ca in
            let csr = try AgentKeyPair.generate().makeCSR(name: "a")
            var serials = Set<String>()
            for _ in 0..<20 {
                serials.insert(try ca.issueAgentCertificate(csrDER: csr, agentID: "a", validity: Self.day, now: Self.now).serial)
            }
            #expect(serials.count == 20)
        }
    }

    @Test func validityNeverOutlivesTheCA() throws {
        try Self.withCA { ca in
            let csr = try AgentKeyPair.generate().makeCSR(name: "a")
            let issued = try ca.issueAgentCertificate(csrDER: csr, agentID: "a", validity: 50 * 365 * Self.day, now: Self.now)
            #expect(issued.notAfter == ca.caCertificate.notValidAfter)
        }
    }

    @Test func rejectsCSRWithTamperedSignature() throws {
        try Self.withCA { ca in
            var csr = try AgentKeyPair.generate().makeCSR(name: "a")
            // The signature BIT STRING ends the DER; its last byte is part of the ECDSA `s` value.
            csr[csr.count - 1] ^= 0x01
            #expect(Self.issueError(ca, csr: csr) == .invalidCSRSignature)
        }
    }

    @Test func rejectsCSRWhoseSubjectWasEditedAfterSigning() throws {
        try Self.withCA { ca in
            var csr = try AgentKeyPair.generate().makeCSR(name: "aaaa")
            let name = Array("aaaa".utf8)
            let at = try #require(csr.indices.first { Array(csr[$0..<min($0 + 4, csr.count)]) == name })
            csr[at] = UInt8(ascii: "b")
            #expect(Self.issueError(ca, csr: csr) == .invalidCSRSignature)
        }
    }

    @Test func rejectsCSRSignedByAnotherKey() throws {
        try Self.withCA { ca in
            let claimed = P256.Signing.PrivateKey()
            let signer = P256.Signing.PrivateKey()
            let honest = try CertificateSigningRequest(
                version: .v1, subject: DistinguishedName { CommonName("a") },
                privateKey: Certificate.PrivateKey(signer), attributes: .init(), signatureAlgorithm: .ecdsaWithSHA256)
            let forged = try CertificateSigningRequest(
                version: .v1, subject: honest.subject, publicKey: Certificate.PublicKey(claimed.publicKey),
                attributes: .init(), signatureAlgorithm: .ecdsaWithSHA256, signature: honest.signature)
            var serializer = DER.Serializer()
            try serializer.serialize(forged)
            #expect(Self.issueError(ca, csr: serializer.serializedBytes) == .invalidCSRSignature)
        }
    }

    @Test func rejectsNonP256Keys() throws {
        try Self.withCA { ca in
            let p384 = try CertificateSigningRequest(
                version: .v1, subject: DistinguishedName { CommonName("a") },
                privateKey: Certificate.PrivateKey(P384.Signing.PrivateKey()), attributes: .init(),
                signatureAlgorithm: .ecdsaWithSHA384)
            var serializer = DER.Serializer()
            try serializer.serialize(p384)
            #expect(Self.issueError(ca, csr: serializer.serializedBytes) == .unsupportedKey)

            let ed25519 = try CertificateSigningRequest(
                version: .v1, subject: DistinguishedName { CommonName("a") },
                privateKey: Certificate.PrivateKey(Curve25519.Signing.PrivateKey()), attributes: .init(),
                signatureAlgorithm: .ed25519)
            serializer = DER.Serializer()
            try serializer.serialize(ed25519)
            #expect(Self.issueError(ca, csr: serializer.serializedBytes) == .unsupportedKey)
        }
    }

    @Test func rejectsGarbageAndOversizedCSRs() throws {
        try Self.withCA { ca in
            #expect(Self.issueError(ca, csr: []) == .malformedCSR)
            #expect(Self.issueError(ca, csr: [0x30, 0x82, 0xFF, 0xFF, 0x00]) == .malformedCSR)
            let valid = try AgentKeyPair.generate().makeCSR(name: "a")
            #expect(Self.issueError(ca, csr: Array(valid.dropLast(10))) == .malformedCSR)
            #expect(Self.issueError(ca, csr: valid + [0]) == .malformedCSR)
            #expect(Self.issueError(ca, csr: [UInt8](repeating: 0x30, count: 20_000)) == .malformedCSR)
        }
    }

    @Test(arguments: ["", "../etc", "web 1", "a/b", String(repeating: "x", count: 65)])
    func rejectsUnsafeAgentIDs(agentID: String) throws {
        try Self.withCA { ca in
            let csr = try AgentKeyPair.generate().makeCSR(name: "a")
            #expect(Self.issueError(ca, csr: csr, agentID: agentID) == .invalidAgentID)
        }
    }

    @Test func rejectsNonPositiveValidity() throws {
        try Self.withCA { ca in
            let csr = try AgentKeyPair.generate().makeCSR(name: "a")
            #expect(Self.issueError(ca, csr: csr, validity: 0) == .invalidValidity)
            #expect(Self.issueError(ca, csr: csr, validity: -5) == .invalidValidity)
        }
    }

    @Test func agentIDNeedsTheAgentURI() throws {
        try Self.withCA { ca in
            let error = #expect(throws: PKIError.self) {
                try CertificateAuthority.agentID(fromCertificateDER: ca.serverCertificateDER)
            }
            #expect(error?.code == .missingAgentIdentity)
            let garbage = #expect(throws: PKIError.self) {
                try CertificateAuthority.agentID(fromCertificateDER: [1, 2, 3])
            }
            #expect(garbage?.code == .malformedCertificate)
        }
    }

    @Test func agentIDRequiresTheCommonNameToAgree() throws {
        try Self.withCA { ca in
            let key = P256.Signing.PrivateKey()
            let mismatched = try Certificate(
                version: .v3, serialNumber: .init(bytes: [1]), publicKey: .init(key.publicKey),
                notValidBefore: Self.now, notValidAfter: Self.now + Self.day,
                issuer: ca.caCertificate.subject, subject: DistinguishedName { CommonName("db-1") },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: Certificate.Extensions {
                    SubjectAlternativeNames([.uniformResourceIdentifier("steward://agent/web-1")])
                },
                issuerPrivateKey: .init(ca.caPrivateKey))
            let error = #expect(throws: PKIError.self) {
                try CertificateAuthority.agentID(fromCertificateDER: CertificateTemplates.der(mismatched))
            }
            #expect(error?.code == .identityMismatch)
        }
    }
}
