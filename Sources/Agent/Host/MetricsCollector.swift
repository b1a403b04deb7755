#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import StewardProtocol

/// Samples `HostMetrics` from /proc under `root` and statvfs.
///
/// CPU usage needs two /proc/stat samples `sampleInterval` apart; the sleep and the wall clock are
/// injected so tests can rewrite the fixture between samples and get exact figures.
public struct MetricsCollector: Sendable {
    public var root: String
    public var sampleInterval: Duration
    public var system: HostSystem
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Milliseconds since the Unix epoch.
    public var now: @Sendable () -> Int64
    var mountFilter = MountFilter()

    public init(
        root: String = "/",
        sampleInterval: Duration = .milliseconds(250),
        system: HostSystem = .live,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Int64 = MetricsCollector.wallClockMilliseconds
    ) {
        self.root = root
        self.sampleInterval = sampleInterval
        self.system = system
        self.sleep = sleep
        self.now = now
    }

    public func collect() async throws -> HostMetrics {
        let files = HostFileReader(root: root)
        func read(_ path: String) throws -> (text: String, source: String) {
            (try files.read(path), files.resolve(path))
        }
        let first = try read("/proc/stat")
        let before = try ProcStatParser.parse(first.text, source: first.source)
        try await sleep(sampleInterval)
        let second = try read("/proc/stat")
        let after = try ProcStatParser.parse(second.text, source: second.source)

        let loadavg = try read("/proc/loadavg")
        let load = try LoadAvgParser.parse(loadavg.text, source: loadavg.source)
        let meminfo = try read("/proc/meminfo")
        let memory = try MemInfoParser.parse(meminfo.text, source: meminfo.source).memoryUsage(source: meminfo.source)
        let uptime = try read("/proc/uptime")
        let mounts = try read("/proc/mounts")
        let network = try files.readIfPresent("/proc/net/dev")
            .map { try NetDevParser.parse($0, source: files.resolve("/proc/net/dev")) } ?? []

        return HostMetrics(
            collectedAt: now(),
            uptimeSeconds: try UptimeParser.parse(uptime.text, source: uptime.source),
            load1: load.one,
            load5: load.five,
            load15: load.fifteen,
            cpu: after.usage(since: before),
            memory: memory,
            disks: diskUsage(try MountsParser.parse(mounts.text, source: mounts.source)),
            network: network)
    }

    /// Usage of each real filesystem. A mount whose statvfs fails (permission, vanished) or that has no
    /// blocks is left out rather than failing the whole sample.
    func diskUsage(_ entries: [MountEntry]) -> [DiskUsage] {
        mountFilter.select(entries).compactMap { entry in
            guard let stats = try? system.fileSystemStats(entry.mountPoint), stats.blocks > 0 else { return nil }
            return stats.diskUsage(mountPoint: entry.mountPoint, fsType: entry.fsType)
        }
    }

    public static func wallClockMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

extension FileSystemStats {
    /// The figures `df` shows; multiplication saturates rather than trapping on absurd block counts.
    func diskUsage(mountPoint: String, fsType: String) -> DiskUsage {
        func bytes(_ count: UInt64) -> UInt64 {
            let (product, overflow) = count.multipliedReportingOverflow(by: fragmentSize)
            return overflow ? .max : product
        }
        let total = bytes(blocks)
        let free = bytes(min(freeBlocks, blocks))
        let available = bytes(min(availableBlocks, blocks))
        let used = total - free
        let usable = Double(used) + Double(available)
        return DiskUsage(
            mountPoint: mountPoint,
            fsType: fsType,
            totalBytes: total,
            usedBytes: used,
            availableBytes: available,
            usedPercent: usable > 0 ? Double(used) * 100 / usable : 0)
    }
}
