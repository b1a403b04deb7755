#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads small text files below a root directory, so collectors can run against fixture trees.
///
/// Uses plain `read(2)` because /proc files report a size of zero and must be read until EOF.
struct HostFileReader: Sendable {
    /// Directory that stands for "/"; "/" on a real host.
    var root: String
    /// Refuse files larger than this instead of buffering without bound (/proc/mounts on a busy
    /// container host is a few hundred KiB).
    var maximumBytes: Int = 4 * 1024 * 1024

    /// `absolutePath` (e.g. "/proc/stat") placed under `root`.
    func resolve(_ absolutePath: String) -> String {
        var base = root
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        if base == "/" { return absolutePath }
        return absolutePath.hasPrefix("/") ? base + absolutePath : base + "/" + absolutePath
    }

    /// The file's contents, or an `unreadable` error when it does not exist.
    func read(_ absolutePath: String) throws -> String {
        let path = resolve(absolutePath)
        guard let text = try Self.readFile(atPath: path, maximumBytes: maximumBytes) else {
            throw HostProbeError(code: .unreadable, source: path, detail: "no such file")
        }
        return text
    }

    /// The file's contents, or nil when it does not exist; other failures still throw.
    func readIfPresent(_ absolutePath: String) throws -> String? {
        try Self.readFile(atPath: resolve(absolutePath), maximumBytes: maximumBytes)
    }

    /// Reads a file by its full path; nil when the file (or a directory on its path) is missing.
    static func readFile(atPath path: String, maximumBytes: Int) throws -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let error = errno
            if error == ENOENT || error == ENOTDIR { return nil }
            throw HostProbeError(code: .unreadable, source: path, detail: "open failed, errno \(error)")
        }
        defer { close(descriptor) }

        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                readBytes(descriptor, buffer.baseAddress, buffer.count)
            }
            if count == 0 { break }
            if count < 0 {
                let error = errno
                if error == EINTR { continue }
                throw HostProbeError(code: .unreadable, source: path, detail: "read failed, errno \(error)")
            }
            guard contents.count + count <= maximumBytes else {
                throw HostProbeError(code: .tooLarge, source: path, detail: "larger than \(maximumBytes) bytes")
            }
            contents.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: contents, as: UTF8.self)
    }
}

/// File-scope wrapper so the call resolves to read(2), not `HostFileReader.read(_:)`.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
