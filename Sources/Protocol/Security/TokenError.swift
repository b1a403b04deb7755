/// A join token that could not be parsed or built.
public struct TokenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, stable for tests and CLI messages.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }

        public static let wrongPrefix = Code(raw: "wrong_prefix")
        public static let invalidBase64 = Code(raw: "invalid_base64")
        public static let unsupportedVersion = Code(raw: "unsupported_version")
        public static let truncated = Code(raw: "truncated")
        public static let trailingBytes = Code(raw: "trailing_bytes")
        public static let addressTooLong = Code(raw: "address_too_long")
        public static let invalidAddress = Code(raw: "invalid_address")
        public static let invalidFingerprint = Code(raw: "invalid_fingerprint")
        public static let invalidSecret = Code(raw: "invalid_secret")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
