/// A spool entry that could not be named, stored or read.
public struct SpoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, stable for tests and logs.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let raw: String
        public var description: String { raw }

        /// A job id that is not `[0-9A-Za-z_-]{1,64}`: never used to build a path.
        public static let invalidJobID = Code(raw: "invalid_job_id")
        public static let alreadyExists = Code(raw: "already_exists")
        public static let notFound = Code(raw: "not_found")
        /// A spooled file that does not decode (half-written by a crash, or edited by hand).
        public static let corrupt = Code(raw: "corrupt")
        public static let ioFailed = Code(raw: "io_failed")
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
