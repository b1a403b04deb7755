/// An inbound webhook refused, or a reply that could not be delivered; identified by an extensible ``Code``.
public struct WebhookError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// Missing, malformed, stale or wrong signature or token.
        public static let unauthenticated = Code("unauthenticated")
        /// The body is not the documented payload.
        public static let malformedPayload = Code("malformedPayload")
        /// Posting to the reply URL failed.
        public static let delivery = Code("delivery")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "webhook \(code): \(message)" }
}
