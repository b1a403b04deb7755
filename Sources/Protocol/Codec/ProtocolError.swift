/// A fault in bytes or messages received from a peer.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, stable for tests and metrics.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }

        public static let frameTooLarge = Code(raw: "frame_too_large")
        public static let emptyFrame = Code(raw: "empty_frame")
        public static let truncatedFrame = Code(raw: "truncated_frame")
        public static let malformedMessage = Code(raw: "malformed_message")
        public static let unknownMessage = Code(raw: "unknown_message")
        public static let unexpectedMessage = Code(raw: "unexpected_message")
        public static let unauthenticated = Code(raw: "unauthenticated")
        public static let versionMismatch = Code(raw: "version_mismatch")
        public static let heartbeatTimeout = Code(raw: "heartbeat_timeout")
        public static let handshakeTimeout = Code(raw: "handshake_timeout")
        public static let peerError = Code(raw: "peer_error")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
