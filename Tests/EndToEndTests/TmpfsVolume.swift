import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted on a directory, to give a process a disk that fills up for real: `fill()` writes a
/// filler file until the kernel says ENOSPC, `makeRoom()` deletes it.
final class TmpfsVolume: @unchecked Sendable {
    static let mountTool = RootSuites.tool(["/usr/bin/mount", "/bin/mount", "/usr/sbin/mount", "/sbin/mount"])
    static let umountTool = RootSuites.tool(["/usr/bin/umount", "/bin/umount", "/usr/sbin/umount", "/sbin/umount"])
    static var usable: Bool { RootSuites.isRoot && mountTool != nil && umountTool != nil }
    static let skipNote: Comment = "needs root to mount a tmpfs; set STEWARD_REQUIRE_ROOT_SUITES=1 to fail instead of skipping"

    static func requireUsable() throws {
        guard usable else {
            throw HarnessError("STEWARD_REQUIRE_ROOT_SUITES=1 but a tmpfs cannot be mounted: root \(RootSuites.isRoot), mount \(mountTool ?? "missing")")
        }
    }

    let path: String
    var fillerPath: String { "\(path)/filler" }

    private init(path: String) {
        self.path = path
    }

    /// Mounts a fresh tmpfs of `megabytes` on `path` (created if needed), private to its owner.
    static func mount(at path: String, megabytes: Int) async throws -> TmpfsVolume {
        try requireUsable()
        guard let mountTool else { throw HarnessError("mount is missing") }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try await RootSuites.run(mountTool, ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", path])
        return TmpfsVolume(path: path)
    }

    /// Bytes an unprivileged writer could still use.
    var availableBytes: Int64 {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return -1 }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }

    /// Writes the filler until the volume is full; returns its size.
    @discardableResult
    func fill() throws -> Int64 {
        let descriptor = open(fillerPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else { throw HarnessError("cannot create \(fillerPath): errno \(errno)") }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        var written: Int64 = 0
        while true {
            let count = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                written += Int64(count)
            } else if count < 0, errno == ENOSPC {
                return written
            } else if count == 0 || errno != EINTR {
                throw HarnessError("writing \(fillerPath) failed (\(count)): errno \(errno)")
            }
        }
    }

    /// Deletes the filler: the space is back.
    func makeRoom() throws {
        try FileManager.default.removeItem(atPath: fillerPath)
    }

    /// Unmounts, lazily if something still holds a file open there.
    func unmount() async {
        guard let umountTool = Self.umountTool else { return }
        if (try? await RootSuites.run(umountTool, [path])) == nil {
            _ = try? await RootSuites.run(umountTool, ["-l", path])
        }
    }
}
