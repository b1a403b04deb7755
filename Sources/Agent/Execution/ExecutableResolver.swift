#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns `CommandSpec.executable` into the absolute path of an executable regular file.
///
/// We resolve before spawning, rather than letting the spawn fail, so a missing program is reported
/// as `executableNotFound` naming what was searched, not as an opaque spawn error.
struct ExecutableResolver: Sendable {
    /// The `PATH` searched for bare names.
    var searchPath: String

    func resolve(_ executable: String) throws(ExecutionError) -> String {
        guard !executable.isEmpty else {
            throw ExecutionError(code: .invalidSpec, command: executable, detail: "the executable is empty")
        }
        guard !executable.utf8.contains(0) else {
            throw ExecutionError(code: .invalidSpec, command: executable, detail: "the executable contains a NUL byte")
        }
        if executable.hasPrefix("/") {
            guard Self.isExecutableFile(executable) else {
                throw ExecutionError(
                    code: .executableNotFound, command: executable,
                    detail: "no executable file at \(executable)")
            }
            return executable
        }
        guard !executable.contains("/") else {
            // A relative path would depend on the agent's working directory: refuse the ambiguity.
            throw ExecutionError(
                code: .invalidSpec, command: executable,
                detail: "relative path '\(executable)' is not allowed; use an absolute path or a bare name")
        }
        // Relative PATH entries (including the empty one meaning ".") are skipped for the same reason.
        let directories = searchPath.split(separator: ":").filter { $0.hasPrefix("/") }
        for directory in directories {
            let candidate = directory.hasSuffix("/") ? "\(directory)\(executable)" : "\(directory)/\(executable)"
            if Self.isExecutableFile(candidate) {
                return candidate
            }
        }
        throw ExecutionError(
            code: .executableNotFound, command: executable,
            detail: "'\(executable)' was not found in PATH (\(directories.joined(separator: ":")))")
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }
}
