import Crypto
import Foundation
import NIOSSL
import StewardProtocol
import SwiftASN1
import X509

/// The controller's PKI: its CA, its TLS server identity and its job-signing key, kept on disk.
public struct CertificateAuthority: Sendable {
    /// A server certificate closer than this to expiry is re-issued on load.
    public static let serverRenewalWindow: TimeInterval = 30 * 86_400

    public let directory: String
    public let caCertificate: Certificate
    public let caCertificateDER: [UInt8]
    /// SHA-256 of `caCertificateDER`: what join tokens pin.
    public let caFingerprint: [UInt8]
    public let serverCertificate: Certificate
    public let serverCertificateDER: [UInt8]
    public let serverPrivateKey: P256.Signing.PrivateKey
    public let jobSigningKey: Curve25519.Signing.PrivateKey
    let caPrivateKey: P256.Signing.PrivateKey
    /// The same material converted for NIOSSL once, so building a TLS configuration cannot fail.
    let tlsMaterial: ServerTLSMaterial

    /// Loads the PKI from `directory`, creating it on first use (directory 0700, files 0600).
    ///
    /// The server certificate is re-issued (same key) when it is missing, within
    /// `serverRenewalWindow` of expiry, not issued by this CA, or lacks one of the requested names.
    /// The TLS server only reads it at start-up, so a long-running controller should reload daily.
    public static func loadOrCreate(
        directory: String,
        extraServerNames: [String] = [],
        now: Date = Date()
    ) throws -> CertificateAuthority {
        try SecureFile.ensurePrivateDirectory(directory)
        let files = PKIFiles(directory: directory)
        let names = [StewardTLS.controllerServerName] + extraServerNames.filter { $0 != StewardTLS.controllerServerName }

        // ca.crt is written last: without it nothing was handed out, so starting over is safe.
        guard SecureFile.exists(files.caCertificate) else {
            return try create(files: files, names: names, now: now)
        }
        let caKey = try parse(files.caKey) { try P256.Signing.PrivateKey(pemRepresentation: $0) }
        let caCertificate = try parse(files.caCertificate) { try Certificate(pemEncoded: $0) }
        guard caCertificate.publicKey == Certificate.PublicKey(caKey.publicKey) else {
            throw PKIError(.corruptState, "\(files.caCertificate) does not match \(files.caKey)")
        }
        guard SecureFile.exists(files.jobSigningKey) else {
            // A new key would silently invalidate every enrolled agent's trust in job signatures.
            throw PKIError(.incompleteState, "\(files.jobSigningKey) is missing; restore it from backup")
        }
        let jobSigningKey: Curve25519.Signing.PrivateKey
        do {
            jobSigningKey = try Curve25519.Signing.PrivateKey(rawRepresentation: SecureFile.read(files.jobSigningKey))
        } catch let error as SecureFileError {
            throw error
        } catch {
            throw PKIError(.corruptState, "\(files.jobSigningKey) is not a 32-byte Ed25519 key: \(error)")
        }

        let (serverKey, serverCertificate) = try loadOrIssueServer(
            files: files, names: names, ca: caCertificate, caKey: caKey, now: now)
        return try CertificateAuthority(
            directory: directory,
            caCertificate: caCertificate,
            caPrivateKey: caKey,
            serverCertificate: serverCertificate,
            serverPrivateKey: serverKey,
            jobSigningKey: jobSigningKey
        )
    }

    init(
        directory: String,
        caCertificate: Certificate,
        caPrivateKey: P256.Signing.PrivateKey,
        serverCertificate: Certificate,
        serverPrivateKey: P256.Signing.PrivateKey,
        jobSigningKey: Curve25519.Signing.PrivateKey
    ) throws {
        self.directory = directory
        self.caCertificate = caCertificate
        self.caPrivateKey = caPrivateKey
        self.caCertificateDER = try CertificateTemplates.der(caCertificate)
        self.caFingerprint = Array(SHA256.hash(data: caCertificateDER))
        self.serverCertificate = serverCertificate
        self.serverCertificateDER = try CertificateTemplates.der(serverCertificate)
        self.serverPrivateKey = serverPrivateKey
        self.jobSigningKey = jobSigningKey
        self.tlsMaterial = ServerTLSMaterial(
            serverCertificate: try NIOSSLCertificate(bytes: serverCertificateDER, format: .der),
            caCertificate: try NIOSSLCertificate(bytes: caCertificateDER, format: .der),
            privateKey: try NIOSSLPrivateKey(bytes: Array(serverPrivateKey.derRepresentation), format: .der)
        )
    }

    private static func create(files: PKIFiles, names: [String], now: Date) throws -> CertificateAuthority {
        let caKey = P256.Signing.PrivateKey()
        let caCertificate = try CertificateTemplates.makeCA(key: caKey, now: now)
        let serverKey = P256.Signing.PrivateKey()
        let serverCertificate = try CertificateTemplates.makeServer(
            key: serverKey, names: names, ca: caCertificate, caKey: caKey, now: now)
        let jobSigningKey = Curve25519.Signing.PrivateKey()

        try SecureFile.write(Array(jobSigningKey.rawRepresentation), to: files.jobSigningKey)
        try SecureFile.write(Array(caKey.pemRepresentation.utf8), to: files.caKey)
        try SecureFile.write(Array(serverKey.pemRepresentation.utf8), to: files.serverKey)
        try SecureFile.write(Array(serverCertificate.serializeAsPEM().pemString.utf8), to: files.serverCertificate)
        try SecureFile.write(Array(caCertificate.serializeAsPEM().pemString.utf8), to: files.caCertificate)
        return try CertificateAuthority(
            directory: files.directory,
            caCertificate: caCertificate,
            caPrivateKey: caKey,
            serverCertificate: serverCertificate,
            serverPrivateKey: serverKey,
            jobSigningKey: jobSigningKey
        )
    }

    /// The server key (made if missing) and a certificate for it that is usable at `now`,
    /// re-issued and stored when the one on disk is missing, damaged, stale or lacks a name.
    private static func loadOrIssueServer(
        files: PKIFiles,
        names: [String],
        ca: Certificate,
        caKey: P256.Signing.PrivateKey,
        now: Date
    ) throws -> (P256.Signing.PrivateKey, Certificate) {
        let serverKey: P256.Signing.PrivateKey
        if SecureFile.exists(files.serverKey) {
            serverKey = try parse(files.serverKey) { try P256.Signing.PrivateKey(pemRepresentation: $0) }
        } else {
            serverKey = P256.Signing.PrivateKey()
            try SecureFile.write(Array(serverKey.pemRepresentation.utf8), to: files.serverKey)
        }
        // An unreadable server certificate is simply replaced: it is ours to re-issue.
        if SecureFile.exists(files.serverCertificate),
            let existing = try? parse(files.serverCertificate, { try Certificate(pemEncoded: $0) }),
            try isServerCertificateUsable(existing, key: serverKey, ca: ca, names: names, now: now)
        {
            return (serverKey, existing)
        }
        let issued = try CertificateTemplates.makeServer(key: serverKey, names: names, ca: ca, caKey: caKey, now: now)
        try SecureFile.write(Array(issued.serializeAsPEM().pemString.utf8), to: files.serverCertificate)
        return (serverKey, issued)
    }

    private static func isServerCertificateUsable(
        _ certificate: Certificate,
        key: P256.Signing.PrivateKey,
        ca: Certificate,
        names: [String],
        now: Date
    ) throws -> Bool {
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey),
            certificate.issuer == ca.subject,
            ca.publicKey.isValidSignature(certificate.signature, for: certificate),
            certificate.notValidAfter.timeIntervalSince(now) > serverRenewalWindow
        else { return false }
        return try CertificateTemplates.dnsNames(of: certificate).isSuperset(of: names)
    }

    /// Reads a PEM file and decodes it, reporting damage as `corruptState` with the path.
    private static func parse<T>(_ path: String, _ decode: (String) throws -> T) throws -> T {
        let bytes = try SecureFile.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PKIError(.corruptState, "\(path) is not PEM text")
        }
        do {
            return try decode(text)
        } catch {
            throw PKIError(.corruptState, "\(path) does not decode: \(error)")
        }
    }
}
