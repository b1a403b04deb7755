/// Renews the agent certificate over the session when less than a third of its lifetime remains:
/// `RenewCertificate` with a new CSR from the same key, then the controller's `CertificateRenewed`
/// is checked and written atomically, to be used from the next connection.
public struct CertificateRenewal: Sendable {
    /// Validity of the certificate in use, milliseconds since the Unix epoch.
    public struct Validity: Sendable, Hashable {
        public var notBefore: Int64
        public var notAfter: Int64

        public init(notBefore: Int64, notAfter: Int64) {
            self.notBefore = notBefore
            self.notAfter = notAfter
        }

        /// True once less than a third of the lifetime is left (or the dates make no sense).
        public func renewalDue(nowMilliseconds: Int64) -> Bool {
            let lifetime = notAfter - notBefore
            guard lifetime > 0 else { return true }
            return notAfter - nowMilliseconds < lifetime / 3
        }
    }

    public var validity: @Sendable () throws -> Validity
    /// A PKCS#10 request (DER) signed by the agent's existing key.
    public var makeCSR: @Sendable () throws -> [UInt8]
    /// Checks the new certificate (our key, parseable) and stores it atomically.
    public var install: @Sendable (_ certificateDER: [UInt8]) throws -> Void

    public init(
        validity: @escaping @Sendable () throws -> Validity,
        makeCSR: @escaping @Sendable () throws -> [UInt8],
        install: @escaping @Sendable (_ certificateDER: [UInt8]) throws -> Void
    ) {
        self.validity = validity
        self.makeCSR = makeCSR
        self.install = install
    }
}
