/// Where the controller keeps its PKI material inside its state directory.
struct PKIFiles: Sendable {
    let directory: String

    var caKey: String { directory + "/ca.key" }
    /// Written last on creation, so its presence means the PKI was fully set up.
    var caCertificate: String { directory + "/ca.crt" }
    var serverKey: String { directory + "/server.key" }
    var serverCertificate: String { directory + "/server.crt" }
    /// Raw 32-byte Ed25519 seed: no PEM form exists for it in swift-crypto.
    var jobSigningKey: String { directory + "/job-signing.key" }
}
