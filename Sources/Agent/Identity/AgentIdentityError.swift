/// A failure handling the agent's own key or verifying the controller during enrollment.
public struct AgentIdentityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, stable for tests and operator messages.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }

        public static let malformedKey = Code(raw: "malformed_key")
        public static let invalidFingerprint = Code(raw: "invalid_fingerprint")
        public static let malformedCertificate = Code(raw: "malformed_certificate")
        public static let pinnedCANotPresented = Code(raw: "pinned_ca_not_presented")
        public static let notACertificateAuthority = Code(raw: "not_a_certificate_authority")
        public static let notSignedByPinnedCA = Code(raw: "not_signed_by_pinned_ca")
        public static let outsideValidity = Code(raw: "outside_validity")
        public static let missingServerAuth = Code(raw: "missing_server_auth")
        public static let serverNameMismatch = Code(raw: "server_name_mismatch")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
