/// An error from the Matrix adapter (client-server API calls, sync payloads), identified by an extensible ``Code``.
public struct MatrixError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value callers switch or compare on; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The homeserver refused the access token (`M_UNKNOWN_TOKEN`, `M_MISSING_TOKEN`, a deactivated account),
        /// or the token belongs to another user than the configured `user_id`.
        public static let authFailed = Code("authFailed")
        /// HTTP 429 `M_LIMIT_EXCEEDED`, and waiting it out did not help (or the wait was too long).
        public static let rateLimited = Code("rateLimited")
        /// The homeserver answered with a Matrix error (`errcode`) other than the ones above.
        public static let apiError = Code("apiError")
        /// The HTTP exchange itself failed: connection refused or reset, a timeout, a non-JSON answer.
        public static let transport = Code("transport")
        /// The answer was larger than the adapter reads (a fault or a hostile server, never a message).
        public static let responseTooLarge = Code("responseTooLarge")
        /// The answer is JSON but lacks what the API documents (`next_batch`, `event_id`, ...).
        public static let malformedResponse = Code("malformedResponse")

        public var description: String { name }
    }

    public var code: Code
    public var message: String
    /// The homeserver's `errcode` (`M_UNKNOWN_TOKEN`, `M_LIMIT_EXCEEDED`, `M_FORBIDDEN`), when it sent one.
    public var errcode: String?
    /// The HTTP status, when an answer arrived.
    public var status: Int?
    /// How long the homeserver asked us to wait, for ``Code/rateLimited``.
    public var retryAfter: Duration?

    public init(_ code: Code, _ message: String, errcode: String? = nil, status: Int? = nil, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.errcode = errcode
        self.status = status
        self.retryAfter = retryAfter
    }

    public var description: String { "matrix \(code): \(message)" }
}
