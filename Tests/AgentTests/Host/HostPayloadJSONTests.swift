import Foundation
import StewardProtocol
import Testing

@Suite struct HostPayloadJSONTests {
    static let metrics = HostMetrics(
        collectedAt: 1_700_000_123_456,
        uptimeSeconds: 350_735.5,
        load1: 0.5, load5: 0.25, load15: 0.125,
        cpu: CPUUsage(userPercent: 40, systemPercent: 16, iowaitPercent: 4, idlePercent: 40, busyPercent: 56),
        memory: MemoryUsage(totalBytes: 16_708_005_888, availableBytes: 10_059_427_840, usedBytes: 6_648_578_048,
                            swapTotalBytes: 2_147_479_552, swapUsedBytes: 536_870_912),
        disks: [DiskUsage(mountPoint: "/", fsType: "ext4", totalBytes: 100, usedBytes: 40, availableBytes: 55, usedPercent: 42.5)],
        network: [NetworkInterfaceCounters(name: "eth0", rxBytes: UInt64.max, txBytes: 2, rxPackets: 3, txPackets: 4, rxErrors: 5, txErrors: 6)])

    static let facts = HostFacts(
        hostname: "web-1", osName: "Debian GNU/Linux 12 (bookworm)", kernel: "6.1.0-18-amd64",
        architecture: "x86_64", cpuCount: 4, memoryBytes: 16_708_005_888,
        ipAddresses: ["10.0.0.5", "2001:db8::5"], bootID: "3f1c9a3e", agentVersion: "0.1.0")

    @Test func metricsRoundTripWithSnakeCaseKeys() throws {
        let data = try JSONEncoder().encode(Self.metrics)
        #expect(try JSONDecoder().decode(HostMetrics.self, from: data) == Self.metrics)

        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["collected_at", "uptime_seconds", "load1", "load5", "load15", "cpu", "memory", "disks", "network"])
        let cpu = try #require(object["cpu"] as? [String: Any])
        #expect(Set(cpu.keys) == ["user_percent", "system_percent", "iowait_percent", "idle_percent", "busy_percent"])
        let memory = try #require(object["memory"] as? [String: Any])
        #expect(Set(memory.keys) == ["total_bytes", "available_bytes", "used_bytes", "swap_total_bytes", "swap_used_bytes"])
        let disk = try #require((object["disks"] as? [[String: Any]])?.first)
        #expect(Set(disk.keys) == ["mount_point", "fs_type", "total_bytes", "used_bytes", "available_bytes", "used_percent"])
        let nic = try #require((object["network"] as? [[String: Any]])?.first)
        #expect(Set(nic.keys) == ["name", "rx_bytes", "tx_bytes", "rx_packets", "tx_packets", "rx_errors", "tx_errors"])
    }

    @Test func factsRoundTripWithSnakeCaseKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(Self.facts), as: UTF8.self)
        #expect(json == #"{"agent_version":"0.1.0","architecture":"x86_64","boot_id":"3f1c9a3e","cpu_count":4,"hostname":"web-1","ip_addresses":["10.0.0.5","2001:db8::5"],"kernel":"6.1.0-18-amd64","memory_bytes":16708005888,"os_name":"Debian GNU\/Linux 12 (bookworm)"}"#)
        #expect(try JSONDecoder().decode(HostFacts.self, from: Data(json.utf8)) == Self.facts)
    }

    @Test func decodingRejectsCamelCaseKeys() {
        let camel = #"{"hostname":"h","osName":"o","kernel":"k","architecture":"a","cpuCount":1,"memoryBytes":1,"ipAddresses":[],"bootID":"b","agentVersion":"v"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(HostFacts.self, from: Data(camel.utf8)) }
    }
}
