import StewardProtocol
import Testing
@testable import StewardAgent

/// Runs the collectors against the machine running the tests, with live system calls.
@Suite struct RealHostTests {
    @Test func factsFromRealHostAreSane() throws {
        let facts = try FactsCollector(agentVersion: "test").collect()
        #expect(facts.cpuCount >= 1)
        #expect(facts.memoryBytes > 64 * 1024 * 1024)
        #expect(!facts.hostname.isEmpty)
        #expect(!facts.kernel.isEmpty)
        #expect(!facts.architecture.isEmpty)
        #expect(facts.osName != "")
        #expect(facts.bootID.count == 36)
        #expect(!facts.ipAddresses.contains("127.0.0.1"))
        #expect(!facts.ipAddresses.contains("::1"))
    }

    @Test func metricsFromRealHostAreSane() async throws {
        let metrics = try await MetricsCollector(sampleInterval: .milliseconds(100)).collect()
        #expect(metrics.uptimeSeconds > 0)
        #expect(metrics.memory.totalBytes > 0)
        #expect(metrics.memory.usedBytes <= metrics.memory.totalBytes)
        #expect(metrics.load1 >= 0)
        #expect(metrics.collectedAt > 1_600_000_000_000)
        let cpu = metrics.cpu
        for share in [cpu.userPercent, cpu.systemPercent, cpu.iowaitPercent, cpu.idlePercent, cpu.busyPercent] {
            #expect((0...100).contains(share))
        }
        #expect(abs(cpu.busyPercent + cpu.idlePercent + cpu.iowaitPercent - 100) < 0.001)
        #expect(metrics.disks.contains { $0.mountPoint == "/" })
        #expect(!metrics.disks.contains { $0.fsType == "proc" || $0.fsType.hasPrefix("cgroup") || $0.fsType == "tmpfs" })
        #expect(!metrics.network.contains { $0.name == "lo" })
        for disk in metrics.disks {
            #expect(disk.totalBytes > 0)
            #expect((0...100).contains(disk.usedPercent))
        }
    }
}
