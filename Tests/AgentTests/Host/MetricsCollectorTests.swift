import StewardProtocol
import Synchronization
import Testing
@testable import StewardAgent

@Suite struct MetricsCollectorTests {
    static let disks: [String: FileSystemStats] = [
        // 100 GiB, 60 GiB free, 55 GiB available to users: used 40 GiB, 40/(40+55) = 42.1%.
        "/": FileSystemStats(fragmentSize: 4096, blocks: 26_214_400, freeBlocks: 15_728_640, availableBlocks: 14_417_920),
        // 512 MiB EFI partition, 75% used, no reserve.
        "/boot/efi": FileSystemStats(fragmentSize: 512, blocks: 1_048_576, freeBlocks: 262_144, availableBlocks: 262_144),
        // A filesystem reporting no blocks is skipped (e.g. an unmounted autofs trigger).
        "/var/lib/data": FileSystemStats(fragmentSize: 4096, blocks: 0, freeBlocks: 0, availableBlocks: 0),
        // "/var/lib/docker/..." and "/srv/backup disk" have no stats: statvfs fails, so they are skipped.
    ]

    @Test func collectsMetricsWithCPUFromTwoSamples() async throws {
        let fixture = try HostFixture()
        try fixture.writeStandardTree()
        let slept = Mutex<[Duration]>([])
        let collector = MetricsCollector(
            root: fixture.root,
            sampleInterval: .milliseconds(400),
            system: fakeHostSystem(disks: Self.disks),
            sleep: { interval in
                slept.withLock { $0.append(interval) }
                // The "kernel" advances its counters while the collector waits.
                try fixture.write("/proc/stat", HostSamples.statAfter)
            },
            now: { 1_700_000_123_456 })

        let metrics = try await collector.collect()

        #expect(slept.withLock { $0 } == [.milliseconds(400)])
        #expect(metrics.collectedAt == 1_700_000_123_456)
        #expect(metrics.uptimeSeconds == 350_735.47)
        #expect([metrics.load1, metrics.load5, metrics.load15] == [0.52, 0.40, 0.33])
        #expect(metrics.cpu == CPUUsage(userPercent: 40, systemPercent: 16, iowaitPercent: 4, idlePercent: 40, busyPercent: 56))
        #expect(metrics.memory.usedBytes == 6_648_578_048)
        #expect(metrics.memory.swapUsedBytes == 536_870_912)
        #expect(metrics.network.map(\.name) == ["eth0", "docker0"])
        #expect(metrics.disks.map(\.mountPoint) == ["/", "/boot/efi"])

        let root = try #require(metrics.disks.first)
        #expect(root.fsType == "ext4")
        #expect(root.totalBytes == 107_374_182_400)
        #expect(root.usedBytes == 42_949_672_960)
        #expect(root.availableBytes == 59_055_800_320)
        #expect(abs(root.usedPercent - 42.105263) < 0.0001)
        #expect(metrics.disks[1].usedPercent == 75)
    }

    @Test func defaultIntervalIs250Milliseconds() {
        #expect(MetricsCollector().sampleInterval == .milliseconds(250))
    }

    @Test func missingNetDevYieldsNoInterfacesButMissingStatFails() async throws {
        let fixture = try HostFixture()
        try fixture.writeStandardTree()
        try fixture.write("/proc/net/dev", "")
        let quiet = MetricsCollector(root: fixture.root, system: fakeHostSystem(), sleep: { _ in }, now: { 0 })
        let metrics = try await quiet.collect()
        #expect(metrics.network.isEmpty)
        #expect(metrics.cpu.idlePercent == 100)
        #expect(metrics.disks.isEmpty)

        let empty = try HostFixture()
        let error = await #expect(throws: HostProbeError.self) {
            try await MetricsCollector(root: empty.root, system: fakeHostSystem(), sleep: { _ in }, now: { 0 }).collect()
        }
        #expect(error?.code == .unreadable)
        #expect(error?.source == empty.root + "/proc/stat")
    }

    @Test func malformedFileFailsWithItsPath() async throws {
        let fixture = try HostFixture()
        try fixture.writeStandardTree()
        try fixture.write("/proc/loadavg", "garbage\n")
        let error = await #expect(throws: HostProbeError.self) {
            try await MetricsCollector(root: fixture.root, system: fakeHostSystem(), sleep: { _ in }, now: { 0 }).collect()
        }
        #expect(error?.code == .malformedLine)
        #expect(error?.source == fixture.root + "/proc/loadavg")
    }

    @Test func cancellationDuringSampleIntervalPropagates() async throws {
        let fixture = try HostFixture()
        try fixture.writeStandardTree()
        let collector = MetricsCollector(root: fixture.root, system: fakeHostSystem(), sleep: { _ in throw CancellationError() })
        await #expect(throws: CancellationError.self) { try await collector.collect() }
    }

    @Test func diskFiguresSaturateInsteadOfTrapping() {
        let stats = FileSystemStats(fragmentSize: 1 << 40, blocks: 1 << 40, freeBlocks: 1 << 50, availableBlocks: 1)
        let usage = stats.diskUsage(mountPoint: "/huge", fsType: "zfs")
        #expect(usage.totalBytes == .max)
        #expect(usage.usedBytes == 0)
        #expect(usage.usedPercent == 0)
    }
}
