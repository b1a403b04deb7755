/// An error from the Slack adapter (signature checks, event payloads, Web API calls), identified by an extensible ``Code``.
public struct SlackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value callers switch or compare on; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// `X-Slack-Signature` or `X-Slack-Request-Timestamp` is absent.
        public static let missingHeader = Code("missingHeader")
        /// A signature header is present but not of the documented form.
        public static let malformedHeader = Code("malformedHeader")
        /// The request timestamp is more than five minutes away from our clock (either way).
        public static let staleTimestamp = Code("staleTimestamp")
        /// The signature does not match the body, the timestamp and our signing secret.
        public static let signatureMismatch = Code("signatureMismatch")
        /// No signing secret is configured, so nothing can be verified.
        public static let missingSecret = Code("missingSecret")
        /// The event payload is not the JSON Slack documents.
        public static let malformedPayload = Code("malformedPayload")
        /// Slack answered HTTP 429 and the retry did not help (or the wait was too long).
        public static let rateLimited = Code("rateLimited")
        /// Slack answered `"ok": false`; ``SlackError/slackError`` holds its `error` field.
        public static let apiError = Code("apiError")
        /// Slack rejected the bot token (`invalid_auth`, `token_revoked`, ...).
        public static let authFailed = Code("authFailed")
        /// The HTTP exchange itself failed (connection, unexpected status, unreadable body).
        public static let transport = Code("transport")

        public var description: String { name }
    }

    public var code: Code
    public var message: String
    /// Slack's own `error` string (`channel_not_found`, `invalid_auth`), when Slack sent one.
    public var slackError: String?
    /// Slack's `Retry-After`, in seconds, for ``Code/rateLimited``.
    public var retryAfterSeconds: Int?

    public init(_ code: Code, _ message: String, slackError: String? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.slackError = slackError
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "slack \(code): \(message)" }
}
