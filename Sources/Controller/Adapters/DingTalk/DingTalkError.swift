/// An error from the DingTalk adapter (Stream gateway, session webhooks, custom robots), identified by an extensible ``Code``.
public struct DingTalkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value callers compare on; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// DingTalk refused our client id and secret (or robot token and sign): nothing works until an operator acts.
        public static let credentialsRefused = Code("credentialsRefused")
        /// DingTalk answered with a non-zero `errcode` or an error body.
        public static let apiError = Code("apiError")
        /// The answer is not the documented JSON.
        public static let malformedResponse = Code("malformedResponse")
        /// The HTTP exchange itself failed (connection, timeout, unexpected status).
        public static let transport = Code("transport")
        /// A Stream frame is not the documented JSON.
        public static let malformedFrame = Code("malformedFrame")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "dingtalk \(code): \(message)" }
}
