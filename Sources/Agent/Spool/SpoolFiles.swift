#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations the spool needs beyond `SecureFile`: appends, ranged reads,
/// directory listing and removal. Paths are built by `ResultSpool` from validated ids only.
enum SpoolFiles {
    static func makeDirectory(_ path: String) throws(SpoolError) {
        guard mkdir(path, 0o700) == 0 else {
            if errno == EEXIST { throw SpoolError(.alreadyExists, "\(path) already exists") }
            throw failure("mkdir", path)
        }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Names in `path`, without "." and "..". A missing directory lists as empty.
    static func list(_ path: String) throws(SpoolError) -> [String] {
        guard let directory = opendir(path) else {
            if errno == ENOENT { return [] }
            throw failure("opendir", path)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Appends all of `bytes`; a crash may leave a prefix, which the offsets of a resend cover.
    static func append(_ bytes: [UInt8], to path: String) throws(SpoolError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            offset += written
        }
    }

    /// Size of a regular file; 0 when it does not exist (no output yet).
    static func size(_ path: String) throws(SpoolError) -> UInt64 {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return 0 }
            throw failure("stat", path)
        }
        return UInt64(max(0, info.st_size))
    }

    /// Up to `maxBytes` from `offset`; fewer at the end of the file.
    static func read(_ path: String, from offset: UInt64, maxBytes: Int) throws(SpoolError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { return [] }
            throw failure("open", path)
        }
        defer { close(fd) }
        var result = [UInt8](repeating: 0, count: maxBytes)
        var filled = 0
        while filled < maxBytes {
            let count = result.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress.map { $0 + filled }, maxBytes - filled, off_t(offset) + off_t(filled))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("pread", path)
            }
            if count == 0 { break }
            filled += count
        }
        result.removeSubrange(filled...)
        return result
    }

    /// Empties a file that may not exist (a stream with no output has no file).
    static func truncate(_ path: String) throws(SpoolError) {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { return }
            throw failure("open", path)
        }
        close(fd)
    }

    /// fsync of a file that may not exist (a job with no output has no output file).
    static func sync(_ path: String) throws(SpoolError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { return }
            throw failure("open", path)
        }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", path) }
    }

    static func rename(_ from: String, to: String) throws(SpoolError) {
        guard systemRename(from, to) == 0 else { throw failure("rename", from) }
    }

    static func unlinkIfPresent(_ path: String) throws(SpoolError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("unlink", path) }
    }

    /// Removes a directory holding only files (spool entries never nest).
    static func removeFlatDirectory(_ path: String) throws(SpoolError) {
        for name in try list(path) {
            try unlinkIfPresent(path + "/" + name)
        }
        guard rmdir(path) == 0 || errno == ENOENT else { throw failure("rmdir", path) }
    }

    private static func failure(_ call: String, _ path: String) -> SpoolError {
        let code = errno
        return SpoolError(.ioFailed, "\(call) \(path): \(String(cString: strerror(code))) (errno \(code))")
    }
}

// File-scope shim: inside `SpoolFiles` the name `rename` refers to its own method.
private func systemRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}
