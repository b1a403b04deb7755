import Crypto
import Foundation
import StewardProtocol
import Testing
import X509

@testable import StewardController

@Suite struct CertificateAuthorityTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func createsPrivateFilesOnFirstUse() throws {
        let temporary = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(temporary) }
        let directory = temporary + "/state/pki"
        let ca = try CertificateAuthority.loadOrCreate(directory: directory, now: Self.start)
        #expect(try PKITestFiles.permissions(of: directory) == 0o700)
        for file in ["ca.key", "ca.crt", "server.key", "server.crt", "job-signing.key"] {
            #expect(try PKITestFiles.permissions(of: directory + "/" + file) == 0o600, "mode of \(file)")
        }
        #expect(ca.caFingerprint == Array(SHA256.hash(data: ca.caCertificateDER)))
        #expect(ca.caFingerprint.count == 32)
    }

    @Test func caCertificateIsAConstrainedTenYearCA() throws {
        let temporary = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(temporary) }
        let ca = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        let certificate = ca.caCertificate
        #expect(try certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        let usage = try #require(try certificate.extensions.keyUsage)
        #expect(usage.keyCertSign && usage.cRLSign && !usage.digitalSignature)
        #expect(try certificate.extensions.subjectKeyIdentifier != nil)
        #expect(certificate.subject == certificate.issuer)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        let years = certificate.notValidAfter.timeIntervalSince(Self.start) / (365 * 86_400)
        #expect(abs(years - 10) < 0.01)
        #expect(P256.Signing.PublicKey(certificate.publicKey) != nil)
    }

    @Test func serverCertificateNamesTheControllerWithoutIPAddresses() throws {
        let temporary = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(temporary) }
        let ca = try CertificateAuthority.loadOrCreate(
            directory: temporary, extraServerNames: ["steward.example.org"], now: Self.start)
        let server = ca.serverCertificate
        let sans = try #require(try server.extensions.subjectAlternativeNames)
        #expect(Array(sans) == [.dnsName("controller.steward.internal"), .dnsName("steward.example.org")])
        #expect(try server.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth]))
        #expect(try server.extensions.basicConstraints == .notCertificateAuthority)
        #expect(ca.caCertificate.publicKey.isValidSignature(server.signature, for: server))
        #expect(server.publicKey == Certificate.PublicKey(ca.serverPrivateKey.publicKey))
        let aki = try #require(try server.extensions.authorityKeyIdentifier)
        #expect(aki.keyIdentifier == (try ca.caCertificate.extensions.subjectKeyIdentifier)?.keyIdentifier)
        let days = server.notValidAfter.timeIntervalSince(Self.start) / 86_400
        #expect(abs(days - 365) < 0.01)
    }

    @Test func secondLoadReturnsTheSameMaterial() throws {
        let temporary = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(temporary) }
        let first = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        let second = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start + 86_400)
        #expect(second.caFingerprint == first.caFingerprint)
        #expect(second.serverCertificateDER == first.serverCertificateDER)
        #expect(second.serverPrivateKey.rawRepresentation == first.serverPrivateKey.rawRepresentation)
        #expect(second.jobSigningKey.rawRepresentation == first.jobSigningKey.rawRepresentation)
    }

    @Test func reissuesServerCertificateWithinThirtyDaysOfExpiry() throws {
        let temporary = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(temporary) }
        let first = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        let day: TimeInterval = 86_400
        let stillFresh = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start + 334 * day)
        #expect(stillFresh.serverCertificateDER == first.serverCertificateDER)

        let later = Self.start + 336 * day
        let renewed = try CertificateAuthority.loadOrCreate(directory: temporary, now: later)
        #expect(renewed.serverCertificateDER != first.serverCertificateDER)
        #expect(renewed.caFingerprint == first.caFingerprint)
        #expect(renewed.serverCertificate.notValidAfter > first.serverCertificate.notValidAfter)
        #expect(abs(renewed.serverCertificate.notValidAfter.timeIntervalSince(later) - 365 * day) < 1)
        // Persisted: the next load keeps the renewed certificate.
        let reloaded = try CertificateAuthority.loadOrCreate(directory: temporary, now: later + day)
        #expect(reloaded.serverCertificateDER == renewed.serverCertificateDER)
    }

    @Test func reissuesServerCertificateWhenANewNameIsRequested() throws {
        let temporary = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(temporary) }
        let first = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        let named = try CertificateAuthority.loadOrCreate(
            directory: temporary, extraServerNames: ["ops.example.org"], now: Self.start)
        #expect(named.serverCertificateDER != first.serverCertificateDER)
        #expect(try CertificateTemplates.dnsNames(of: named.serverCertificate).contains("ops.example.org"))
    }

    @Test func refusesToInventANewJobSigningKey() throws {
        let temporary = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(temporary) }
        _ = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        try FileManager.default.removeItem(atPath: temporary + "/job-signing.key")
        let error = #expect(throws: PKIError.self) {
            try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        }
        #expect(error?.code == .incompleteState)
    }

    @Test func detectsACertificateThatDoesNotMatchTheKey() throws {
        let first = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(first) }
        let second = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(second) }
        _ = try CertificateAuthority.loadOrCreate(directory: first, now: Self.start)
        _ = try CertificateAuthority.loadOrCreate(directory: second, now: Self.start)
        try FileManager.default.removeItem(atPath: first + "/ca.crt")
        try FileManager.default.copyItem(atPath: second + "/ca.crt", toPath: first + "/ca.crt")
        let error = #expect(throws: PKIError.self) {
            try CertificateAuthority.loadOrCreate(directory: first, now: Self.start)
        }
        #expect(error?.code == .corruptState)
    }

    @Test func startsOverWhenCreationNeverFinished() throws {
        let temporary = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(temporary) }
        let first = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        // A crash before ca.crt was written: nothing was handed out, so new material is fine.
        try FileManager.default.removeItem(atPath: temporary + "/ca.crt")
        let second = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        #expect(second.caFingerprint != first.caFingerprint)
        #expect(SecureFile.exists(temporary + "/ca.crt"))
    }

    @Test func reportsDamagedKeyFilesAsCorrupt() throws {
        let temporary = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(temporary) }
        _ = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        try SecureFile.write(Array("-----BEGIN PRIVATE KEY-----\ngarbage\n".utf8), to: temporary + "/ca.key")
        let error = #expect(throws: PKIError.self) {
            try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        }
        #expect(error?.code == .corruptState)
    }

    @Test func replacesADamagedServerCertificate() throws {
        let temporary = try PKITestFiles.makeTemporaryDirectory()
        defer { PKITestFiles.removeTree(temporary) }
        let first = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        try SecureFile.write([0xFF, 0x00], to: temporary + "/server.crt")
        let second = try CertificateAuthority.loadOrCreate(directory: temporary, now: Self.start)
        #expect(second.caFingerprint == first.caFingerprint)
        #expect(second.caCertificate.publicKey.isValidSignature(second.serverCertificate.signature, for: second.serverCertificate))
        #expect(try PKITestFiles.permissions(of: temporary + "/server.crt") == 0o600)
    }
}
