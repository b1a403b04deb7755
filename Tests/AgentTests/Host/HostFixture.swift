import Foundation
@testable import StewardAgent

/// A temporary directory standing in for "/", removed when the fixture is released.
final class HostFixture: Sendable {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("steward-host-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Writes `contents` at `absolutePath` (e.g. "/proc/stat") inside the fixture root.
    func write(_ absolutePath: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: root + absolutePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Writes the standard sample files of `HostSamples` so each test only overrides what it checks.
    func writeStandardTree() throws {
        try write("/proc/stat", HostSamples.statBefore)
        try write("/proc/loadavg", HostSamples.loadavg)
        try write("/proc/meminfo", HostSamples.meminfo)
        try write("/proc/uptime", HostSamples.uptime)
        try write("/proc/mounts", HostSamples.mounts)
        try write("/proc/net/dev", HostSamples.netDev)
        try write("/proc/cpuinfo", HostSamples.cpuinfo)
        try write("/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n")
        try write("/proc/sys/kernel/random/boot_id", "3f1c9a3e-8f0b-4b6e-9a51-2d8e7c4f5a10\n")
        try write("/etc/os-release", HostSamples.osRelease)
    }
}

/// A `HostSystem` with fixed answers; statvfs answers come from `disks`, other mount points fail.
func fakeHostSystem(
    hostname: String = "web-1",
    kernel: KernelIdentity = KernelIdentity(release: "6.1.0-uname", machine: "x86_64"),
    addresses: [InterfaceAddress] = [],
    onlineCPUs: Int = 2,
    disks: [String: FileSystemStats] = [:]
) -> HostSystem {
    HostSystem(
        hostname: { hostname },
        kernel: { kernel },
        interfaceAddresses: { addresses },
        onlineCPUCount: { onlineCPUs },
        fileSystemStats: { mountPoint in
            guard let stats = disks[mountPoint] else {
                throw HostProbeError(code: .systemCallFailed, source: "statvfs", detail: "\(mountPoint): errno 13")
            }
            return stats
        })
}
