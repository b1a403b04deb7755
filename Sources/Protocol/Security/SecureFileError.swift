/// A file-system failure while storing or reading private material.
public struct SecureFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, stable for tests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }

        public static let notFound = Code(raw: "not_found")
        public static let openFailed = Code(raw: "open_failed")
        public static let readFailed = Code(raw: "read_failed")
        public static let writeFailed = Code(raw: "write_failed")
        public static let syncFailed = Code(raw: "sync_failed")
        public static let renameFailed = Code(raw: "rename_failed")
        public static let statFailed = Code(raw: "stat_failed")
        public static let tooLarge = Code(raw: "too_large")
        public static let notADirectory = Code(raw: "not_a_directory")
        public static let createDirectoryFailed = Code(raw: "create_directory_failed")
    }

    public var code: Code
    public var path: String
    /// The POSIX errno behind the failure, 0 when none applies.
    public var errno: Int32

    public init(_ code: Code, path: String, errno: Int32) {
        self.code = code
        self.path = path
        self.errno = errno
    }

    public var description: String { "\(code): \(path) (errno \(errno))" }
}
