#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import NIOSSL
import StewardProtocol

/// TLS settings for the agent's connections to the controller.
public enum AgentTLS {
    /// The name every agent expects in the controller certificate, whatever address it dials.
    public static let serverHostname = StewardTLS.controllerServerName

    /// The base client configuration for enrollment: TLS 1.3, ALPN, no client certificate.
    ///
    /// On its own it must not be used: it is only safe with the pinning verification callback
    /// that `enrollment(pinnedCAFingerprint:)` installs on each handler. The verification mode is
    /// `.noHostnameVerification` because NIOSSL skips custom callbacks under `.none`; the empty
    /// trust store keeps the system CAs out even if the callback were missing.
    public static func enrollmentConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.applicationProtocols = [StewardTLS.alpn]
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([])
        return configuration
    }

    /// Everything needed to open enrollment connections that trust only the pinned CA.
    public static func enrollment(
        pinnedCAFingerprint: [UInt8],
        now: @escaping @Sendable () -> Date = { Date() },
        onRejection: @escaping @Sendable (AgentIdentityError) -> Void = { _ in }
    ) throws -> EnrollmentTLS {
        try EnrollmentTLS(
            verifier: PinnedControllerVerifier(pinnedCAFingerprint: pinnedCAFingerprint),
            context: NIOSSLContext(configuration: enrollmentConfiguration()),
            now: now,
            onRejection: onRejection
        )
    }

    /// Session configuration after enrollment: TLS 1.3, ALPN, only our CA trusted, full
    /// verification against `serverHostname`, and the agent's certificate as client identity.
    public static func sessionConfiguration(
        caDER: [UInt8],
        certificateDER: [UInt8],
        privateKey: P256.Signing.PrivateKey
    ) throws -> TLSConfiguration {
        let ca = try NIOSSLCertificate(bytes: caDER, format: .der)
        let certificate = try NIOSSLCertificate(bytes: certificateDER, format: .der)
        let key = try NIOSSLPrivateKey(bytes: Array(privateKey.derRepresentation), format: .der)
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.applicationProtocols = [StewardTLS.alpn]
        configuration.trustRoots = .certificates([ca])
        configuration.certificateVerification = .fullVerification
        configuration.certificateChain = [.certificate(certificate)]
        configuration.privateKey = .privateKey(key)
        return configuration
    }

    /// A session handler for one connection; build the context once per certificate, not per dial.
    public static func makeSessionHandler(context: NIOSSLContext) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
    }
}
