/// A failure in the controller's PKI: bad input from an agent, or unusable stored material.
public struct PKIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, stable for tests and enrollment replies.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }

        public static let malformedCSR = Code(raw: "malformed_csr")
        public static let invalidCSRSignature = Code(raw: "invalid_csr_signature")
        public static let unsupportedKey = Code(raw: "unsupported_key")
        public static let invalidAgentID = Code(raw: "invalid_agent_id")
        public static let invalidValidity = Code(raw: "invalid_validity")
        public static let malformedCertificate = Code(raw: "malformed_certificate")
        public static let missingAgentIdentity = Code(raw: "missing_agent_identity")
        public static let identityMismatch = Code(raw: "identity_mismatch")
        public static let incompleteState = Code(raw: "incomplete_state")
        public static let corruptState = Code(raw: "corrupt_state")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
