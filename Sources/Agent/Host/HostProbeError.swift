/// A failure to read or understand host information (a /proc file, os-release, a system call).
///
/// Tests and callers compare `code`; `source`, `line` and `detail` are diagnostics for humans.
public struct HostProbeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Extensible error code; compare against the static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file could not be opened or read.
        public static let unreadable = Code(rawValue: "unreadable")
        /// The file is larger than the reader's cap; we refuse rather than buffer without bound.
        public static let tooLarge = Code(rawValue: "too_large")
        /// The input has no content where some was required.
        public static let empty = Code(rawValue: "empty")
        /// A line does not have the expected shape (too few fields, no separator).
        public static let malformedLine = Code(rawValue: "malformed_line")
        /// A field that must be a number is not one, is negative, or overflows.
        public static let invalidNumber = Code(rawValue: "invalid_number")
        /// A required line or key is absent.
        public static let missingField = Code(rawValue: "missing_field")
        /// A system call (gethostname, uname, getifaddrs, statvfs) failed.
        public static let systemCallFailed = Code(rawValue: "system_call_failed")
    }

    public var code: Code
    /// The file path or system call concerned, e.g. "/proc/stat" or "statvfs".
    public var source: String
    /// 1-based line number in `source`, when the fault is on one line.
    public var line: Int?
    public var detail: String

    public init(code: Code, source: String, line: Int? = nil, detail: String) {
        self.code = code
        self.source = source
        self.line = line
        self.detail = detail
    }

    public var description: String {
        let location = line.map { "\(source):\($0)" } ?? source
        return "HostProbeError(\(code)) at \(location): \(detail)"
    }
}
