/// An error from the IRC adapter (wire format, connection, registration), identified by an extensible ``Code``.
public struct IRCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value callers switch or compare on; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// A line from the server is not an IRC message (no command, NUL, a stray CR or LF).
        public static let malformedLine = Code("malformedLine")
        /// A line is longer than IRC allows (512 bytes with CRLF, plus 8191 for tags).
        public static let lineTooLong = Code("lineTooLong")
        /// A message we were about to send holds a character that would change its meaning (CR, LF, NUL, a space in a middle parameter).
        public static let invalidCharacter = Code("invalidCharacter")
        /// The TCP connection was not established in time, or was refused.
        public static let connectFailed = Code("connectFailed")
        /// The TLS handshake failed: an unknown or wrong certificate, a protocol error, or no answer in time.
        public static let tlsHandshakeFailed = Code("tlsHandshakeFailed")
        /// The server closed the connection or stopped answering.
        public static let connectionLost = Code("connectionLost")
        /// Too many lines are waiting to be sent; the reply is refused rather than queued without bound.
        public static let outboxFull = Code("outboxFull")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "irc \(code): \(message)" }
}
