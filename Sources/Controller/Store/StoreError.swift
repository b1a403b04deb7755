/// An error thrown by the controller's store, identified by an extensible ``Code``.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value callers switch or compare on; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The requested row does not exist.
        public static let notFound = Code("notFound")
        /// A prefix or name matched more than one row.
        public static let ambiguous = Code("ambiguous")
        /// No enrollment token has this secret.
        public static let tokenUnknown = Code("tokenUnknown")
        /// The enrollment token was revoked or is past its expiry.
        public static let tokenExpired = Code("tokenExpired")
        /// The enrollment token has no uses left.
        public static let tokenExhausted = Code("tokenExhausted")
        /// An active agent already uses this name.
        public static let nameTaken = Code("nameTaken")
        /// The write would violate a uniqueness or state constraint.
        public static let conflict = Code("conflict")
        /// An argument is out of range (a caller fault, not a database fault).
        public static let invalidArgument = Code("invalidArgument")
        /// The database cannot grow: the volume holding the state directory is full (SQLite's `SQLITE_FULL`).
        public static let diskFull = Code("diskFull")
        /// The disk failed a read or a write (SQLite's `SQLITE_IOERR` family).
        public static let ioFailure = Code("ioFailure")

        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// Human-readable diagnostics; never contains secrets.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "StoreError.\(code): \(message)" }
}
