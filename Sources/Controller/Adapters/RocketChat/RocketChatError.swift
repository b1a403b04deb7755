/// An error from the Rocket.Chat adapter (REST calls, Realtime API frames), identified by an extensible ``Code``.
public struct RocketChatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value callers switch or compare on; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The server refused the user id and token (REST 401, or a DDP `login` answered with an error).
        public static let unauthorized = Code("unauthorized")
        /// HTTP 429, and the one retry did not help (or the wait asked for was too long).
        public static let rateLimited = Code("rateLimited")
        /// The server answered with an error status or `"success": false`.
        public static let apiError = Code("apiError")
        /// The HTTP exchange itself failed (connection, timeout, unreadable body).
        public static let transport = Code("transport")
        /// A Realtime API frame or REST answer is not what Rocket.Chat documents.
        public static let malformed = Code("malformed")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "rocketchat \(code): \(message)" }
}
