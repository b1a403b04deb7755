import StewardProtocol
import Testing
@testable import StewardAgent

@Suite struct FactsCollectorTests {
    let addresses = [
        InterfaceAddress(interface: "lo", address: "127.0.0.1", isIPv6: false, isLoopback: true),
        InterfaceAddress(interface: "lo", address: "::1", isIPv6: true, isLoopback: true),
        InterfaceAddress(interface: "eth0", address: "10.0.0.5", isIPv6: false, isLoopback: false),
        InterfaceAddress(interface: "eth0", address: "2001:DB8::5", isIPv6: true, isLoopback: false),
        InterfaceAddress(interface: "eth0", address: "fe80::1c2:3ff:fe44:5566", isIPv6: true, isLoopback: false),
        InterfaceAddress(interface: "eth1", address: "10.0.0.5", isIPv6: false, isLoopback: false),
        InterfaceAddress(interface: "docker0", address: "172.17.0.1", isIPv6: false, isLoopback: false),
    ]

    @Test func collectsFactsFromFixtureTreeAndSystem() throws {
        let fixture = try HostFixture()
        try fixture.writeStandardTree()
        let collector = FactsCollector(
            agentVersion: "0.1.0", root: fixture.root, system: fakeHostSystem(addresses: addresses, onlineCPUs: 2))
        let facts = try collector.collect()
        #expect(facts == HostFacts(
            hostname: "web-1",
            osName: "Debian GNU/Linux 12 (bookworm)",
            kernel: "6.1.0-18-amd64",
            architecture: "x86_64",
            cpuCount: 4,
            memoryBytes: 16_708_005_888,
            ipAddresses: ["10.0.0.5", "2001:db8::5", "172.17.0.1"],
            bootID: "3f1c9a3e-8f0b-4b6e-9a51-2d8e7c4f5a10",
            agentVersion: "0.1.0"))
    }

    @Test func fallsBackToUnameSysconfAndVendorOSRelease() throws {
        let fixture = try HostFixture()
        try fixture.write("/proc/meminfo", HostSamples.meminfo)
        try fixture.write("/proc/sys/kernel/random/boot_id", "abc\n")
        try fixture.write("/usr/lib/os-release", "NAME=Fedora\nVERSION=\"40 (Server)\"\n")
        let facts = try FactsCollector(agentVersion: "x", root: fixture.root + "/", system: fakeHostSystem(onlineCPUs: 8)).collect()
        #expect(facts.kernel == "6.1.0-uname")
        #expect(facts.cpuCount == 8)
        #expect(facts.osName == "Fedora 40 (Server)")
        #expect(facts.ipAddresses.isEmpty)
    }

    @Test func bootIDPathOverrideSimulatesReboot() throws {
        let fixture = try HostFixture()
        try fixture.writeStandardTree()
        let bootFile = fixture.root + "/agent-boot-id"
        try fixture.write("/agent-boot-id", "boot-1\n")
        let collector = FactsCollector(agentVersion: "x", root: fixture.root, bootIDPath: bootFile, system: fakeHostSystem())
        #expect(try collector.currentBootID() == "boot-1")
        try fixture.write("/agent-boot-id", "boot-2\n")
        #expect(try collector.collect().bootID == "boot-2")
    }

    @Test func missingOrEmptyBootIDIsAnError() throws {
        let fixture = try HostFixture()
        try fixture.writeStandardTree()
        let missing = FactsCollector(agentVersion: "x", root: fixture.root, bootIDPath: fixture.root + "/nope", system: fakeHostSystem())
        #expect(throws: HostProbeError.self) { try missing.currentBootID() }
        let error = #expect(throws: HostProbeError.self) { try missing.collect() }
        #expect(error?.code == .unreadable)

        try fixture.write("/proc/sys/kernel/random/boot_id", "\n")
        let empty = FactsCollector(agentVersion: "x", root: fixture.root, system: fakeHostSystem())
        #expect((#expect(throws: HostProbeError.self) { try empty.collect() })?.code == .empty)
    }

    @Test func failingSystemCallPropagates() throws {
        let fixture = try HostFixture()
        try fixture.writeStandardTree()
        var system = fakeHostSystem()
        system.interfaceAddresses = {
            throw HostProbeError(code: .systemCallFailed, source: "getifaddrs", detail: "errno 24")
        }
        let error = #expect(throws: HostProbeError.self) {
            try FactsCollector(agentVersion: "x", root: fixture.root, system: system).collect()
        }
        #expect(error?.code == .systemCallFailed)
    }
}
