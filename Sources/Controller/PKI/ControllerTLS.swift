import NIOSSL
import StewardProtocol

/// The controller's certificate, CA and key in NIOSSL's types.
struct ServerTLSMaterial: Sendable {
    let serverCertificate: NIOSSLCertificate
    let caCertificate: NIOSSLCertificate
    let privateKey: NIOSSLPrivateKey
}

/// TLS settings for the controller's agent port.
public enum ControllerTLS {
    /// TLS 1.3 with ALPN `steward/1`, serving the controller certificate (plus the CA, so
    /// enrolling agents can match their pinned fingerprint).
    ///
    /// Client certificates are optional: a presented one must chain to our CA (else the handshake
    /// fails), none is accepted so enrollment works. The session layer must therefore check
    /// `channel.nioSSL_peerCertificate()` and accept only `EnrollRequest` when it is nil.
    public static func serverConfiguration(ca: CertificateAuthority) -> TLSConfiguration {
        let material = ca.tlsMaterial
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(material.serverCertificate), .certificate(material.caCertificate)],
            privateKey: .privateKey(material.privateKey)
        )
        configuration.minimumTLSVersion = .tlsv13
        configuration.applicationProtocols = [StewardTLS.alpn]
        configuration.certificateVerification = .optionalVerification
        configuration.trustRoots = .certificates([material.caCertificate])
        return configuration
    }
}
