/// A failure of the agent runtime that ends a command (`enroll`, `run`, `status`) with one clear line.
public struct AgentRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, stable for tests and scripts.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let raw: String
        public var description: String { raw }

        public static let notEnrolled = Code(raw: "not_enrolled")
        public static let alreadyEnrolled = Code(raw: "already_enrolled")
        /// A state file is missing, unreadable or does not decode.
        public static let corruptState = Code(raw: "corrupt_state")
        public static let invalidArgument = Code(raw: "invalid_argument")
        /// The controller could not be reached or the TLS handshake failed.
        public static let connectionFailed = Code(raw: "connection_failed")
        /// The controller answered with an `Error` (e.g. "token already used").
        public static let refused = Code(raw: "refused")
        /// The controller's answer made no sense (wrong message, bad certificate).
        public static let invalidResponse = Code(raw: "invalid_response")
        public static let timedOut = Code(raw: "timed_out")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message alone: this is what the CLI prints after "error: ".
    public var description: String { message }
}
