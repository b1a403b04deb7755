/// An error from the Feishu/Lark adapter (request checks, event payloads, open API calls), identified by an
/// extensible ``Code``.
public struct FeishuError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value callers switch or compare on; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// `X-Lark-Signature`, `X-Lark-Request-Timestamp` or `X-Lark-Request-Nonce` is absent.
        public static let missingHeader = Code("missingHeader")
        /// A signature header is present but not of the documented form.
        public static let malformedHeader = Code("malformedHeader")
        /// The request timestamp is outside ``FeishuSignature/window`` from our clock.
        public static let staleTimestamp = Code("staleTimestamp")
        /// The signature does not match the body, the timestamp, the nonce and our encrypt key.
        public static let signatureMismatch = Code("signatureMismatch")
        /// The verification token in the body is not ours.
        public static let tokenMismatch = Code("tokenMismatch")
        /// An encrypted body that does not decrypt with our key (or arrives with no key configured).
        public static let undecryptable = Code("undecryptable")
        /// The body is not the JSON Feishu documents.
        public static let malformedPayload = Code("malformedPayload")
        /// Feishu answered HTTP 429 (or code 99991400) and the one retry did not help.
        public static let rateLimited = Code("rateLimited")
        /// Feishu answered a non-zero `code`; ``FeishuError/feishuCode`` and the message hold it.
        public static let apiError = Code("apiError")
        /// Feishu refused the app credentials (`app_id` / `app_secret`) or the tenant token.
        public static let authFailed = Code("authFailed")
        /// The HTTP exchange itself failed (connection, unexpected status, unreadable body).
        public static let transport = Code("transport")

        public var description: String { name }
    }

    public var code: Code
    public var message: String
    /// Feishu's own `code` (`99991663`, `230020`, ...), when it sent one.
    public var feishuCode: Int?

    public init(_ code: Code, _ message: String, feishuCode: Int? = nil) {
        self.code = code
        self.message = message
        self.feishuCode = feishuCode
    }

    public var description: String { "feishu \(code): \(message)" }
}
