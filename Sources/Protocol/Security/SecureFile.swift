#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe, private file storage for keys, certificates and spool entries, on plain POSIX calls
/// so the agent needs no Foundation for it.
public enum SecureFile {
    /// Default cap for `read`: keys and certificates are a few KiB; anything bigger is not ours.
    public static let defaultMaxReadSize = 1 << 20

    /// Writes `bytes` to `path` atomically: a reader sees the old file or the new one, never a mix,
    /// even across a crash (temp file in the same directory, fsync, rename, fsync of the directory).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        let (directory, name) = split(path)
        var random = SystemRandomNumberGenerator()
        let tempPath = directory + "/." + name + ".tmp-" + Hex.encode((0..<8).map { _ in UInt8.random(in: 0...255, using: &random) })
        // O_EXCL: never follow or reuse a file someone planted at the temp name.
        let fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SecureFileError(.openFailed, path: tempPath, errno: errno) }
        var committed = false
        defer {
            if !committed { unlink(tempPath) }
        }
        do {
            defer { close(fd) }
            // The umask may have narrowed `mode` at creation; set it exactly.
            guard fchmod(fd, mode) == 0 else { throw SecureFileError(.writeFailed, path: tempPath, errno: errno) }
            try writeAll(fd: fd, bytes: bytes, path: tempPath)
            guard fsync(fd) == 0 else { throw SecureFileError(.syncFailed, path: tempPath, errno: errno) }
        }
        guard rename(tempPath, path) == 0 else { throw SecureFileError(.renameFailed, path: path, errno: errno) }
        committed = true
        try syncDirectory(directory)
    }

    /// Appends `bytes` to an existing file and makes them durable before returning. The file must already
    /// exist (create it with `write`, which also makes its name durable); a link planted at `path` is refused.
    public static func appendDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            let code: SecureFileError.Code = errno == ENOENT ? .notFound : .openFailed
            throw SecureFileError(code, path: path, errno: errno)
        }
        defer { close(fd) }
        try writeAll(fd: fd, bytes: bytes, path: path)
        guard fdatasync(fd) == 0 else { throw SecureFileError(.syncFailed, path: path, errno: errno) }
    }

    /// Reads the whole file, refusing files larger than `maxSize`.
    public static func read(_ path: String, maxSize: Int = defaultMaxReadSize) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code: SecureFileError.Code = errno == ENOENT ? .notFound : .openFailed
            throw SecureFileError(code, path: path, errno: errno)
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SecureFileError(.readFailed, path: path, errno: errno)
            }
            if count == 0 { return result }
            guard result.count + count <= maxSize else {
                throw SecureFileError(.tooLarge, path: path, errno: 0)
            }
            result += chunk[0..<count]
        }
    }

    /// True when something exists at `path` (a dangling symlink counts as absent).
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The permission bits of `path` (e.g. 0o600), for checks and tests.
    public static func permissions(of path: String) throws -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SecureFileError(errno == ENOENT ? .notFound : .statFailed, path: path, errno: errno)
        }
        return info.st_mode & 0o7777
    }

    /// Creates `path` and missing parents (like `mkdir -p`) and makes `path` itself mode 0700,
    /// tightening an existing directory that was more open.
    public static func ensurePrivateDirectory(_ path: String) throws {
        // Never chmod "/" or the working directory by accident of an empty setting.
        guard path.split(separator: "/").contains(where: { $0 != "." && $0 != ".." }) else {
            throw SecureFileError(.createDirectoryFailed, path: path, errno: EINVAL)
        }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw SecureFileError(.createDirectoryFailed, path: prefix, errno: errno)
            }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw SecureFileError(.statFailed, path: path, errno: errno) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw SecureFileError(.notADirectory, path: path, errno: ENOTDIR)
        }
        guard chmod(path, 0o700) == 0 else {
            throw SecureFileError(.createDirectoryFailed, path: path, errno: errno)
        }
    }

    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    private static func writeAll(fd: Int32, bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw SecureFileError(.writeFailed, path: path, errno: errno)
            }
            offset += written
        }
    }

    private static func syncDirectory(_ directory: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SecureFileError(.syncFailed, path: directory, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SecureFileError(.syncFailed, path: directory, errno: errno) }
    }
}

// File-scope shims: inside `SecureFile` the names `read`/`write` refer to its own methods.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
