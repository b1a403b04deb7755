import StewardProtocol
import Testing
@testable import StewardController

@Suite struct MetricsTableTests {
    static func metrics(
        busy: Double, loads: (Double, Double, Double), used: UInt64, total: UInt64,
        swapUsed: UInt64 = 0, swapTotal: UInt64 = 0, disks: [DiskUsage] = [], uptime: Double
    ) -> HostMetrics {
        HostMetrics(
            collectedAt: 0, uptimeSeconds: uptime, load1: loads.0, load5: loads.1, load15: loads.2,
            cpu: CPUUsage(userPercent: busy, systemPercent: 0, iowaitPercent: 0, idlePercent: 100 - busy, busyPercent: busy),
            memory: MemoryUsage(totalBytes: total, availableBytes: total - used, usedBytes: used,
                                swapTotalBytes: swapTotal, swapUsedBytes: swapUsed),
            disks: disks, network: [])
    }

    static func disk(_ mount: String, _ percent: Double) -> DiskUsage {
        DiskUsage(mountPoint: mount, fsType: "ext4", totalBytes: 100, usedBytes: 0, availableBytes: 0, usedPercent: percent)
    }

    @Test func rendersOneCompactLinePerHost() {
        let web = Self.metrics(
            busy: 56, loads: (0.52, 0.4, 0.33), used: 6_648_578_048, total: 16_708_005_888,
            swapUsed: 536_870_912, swapTotal: 2_147_479_552,
            disks: [Self.disk("/", 42.1), Self.disk("/var/lib/data", 91.2), Self.disk("/boot", 30)],
            uptime: 273_725)
        let db = Self.metrics(busy: 3.25, loads: (12.5, 8, 4.125), used: 536_870_912, total: 1_073_741_824, uptime: 45)

        #expect(MetricsTable.render([(host: "web-1", metrics: web), (host: "db-2", metrics: db)]) == """
            HOST   CPU%  LOAD(1/5/15)           MEM       SWAP  DISK               UPTIME
            -----  ----  ---------------  ---------  ---------  -----------------  ------
            web-1  56.0  0.52/0.40/0.33    6.2G/16G  512M/2.0G  92% /var/lib/data    3d4h
            db-2    3.3  12.50/8.00/4.13  512M/1.0G          -  -                     45s
            """)
    }

    @Test func fullestDiskRoundsUpAndPrefersFirstOnTies() {
        #expect(MetricsTable.fullestDisk([Self.disk("/a", 80.01), Self.disk("/b", 80.01)]) == "81% /a")
        #expect(MetricsTable.fullestDisk([Self.disk("/a", 0)]) == "0% /a")
        #expect(MetricsTable.fullestDisk([Self.disk("/a", 100)]) == "100% /a")
        #expect(MetricsTable.fullestDisk([]) == "-")
    }

    @Test func emptyFleetRendersHeaderOnly() {
        #expect(MetricsTable.render([]).split(separator: "\n").count == 2)
    }
}
