/// A command that could not be started or followed to its end.
///
/// Tests and callers compare `code`; `command` and `detail` are diagnostics for humans.
public struct ExecutionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Extensible error code; compare against the static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No executable file at the given path, or none of that name on `PATH`.
        public static let executableNotFound = Code(rawValue: "executable_not_found")
        /// The spec itself is unusable (relative path, NUL byte, negative limit, non-positive timeout).
        public static let invalidSpec = Code(rawValue: "invalid_spec")
        /// The working directory does not exist or is not a directory.
        public static let workingDirectoryNotFound = Code(rawValue: "working_directory_not_found")
        /// A service unit name outside `[A-Za-z0-9@._:-]{1,255}` or starting with '-'.
        public static let invalidUnitName = Code(rawValue: "invalid_unit_name")
        /// The operating system refused to start the process.
        public static let spawnFailed = Code(rawValue: "spawn_failed")
        /// Reading the child's output or waiting for it failed.
        public static let ioFailed = Code(rawValue: "io_failed")
    }

    public var code: Code
    /// The executable (or unit) concerned.
    public var command: String
    public var detail: String

    public init(code: Code, command: String, detail: String) {
        self.code = code
        self.command = command
        self.detail = detail
    }

    public var description: String {
        "ExecutionError(\(code)) for '\(command)': \(detail)"
    }
}
