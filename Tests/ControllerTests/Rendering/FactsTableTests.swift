import StewardProtocol
import Testing
@testable import StewardController

@Suite struct FactsTableTests {
    @Test func rendersOneLinePerHostWithCountedExtraAddresses() {
        let web = HostFacts(
            hostname: "web-1.example.com", osName: "Debian GNU/Linux 12 (bookworm)", kernel: "6.1.0-18-amd64",
            architecture: "x86_64", cpuCount: 4, memoryBytes: 16_708_005_888,
            ipAddresses: ["10.0.0.5", "2001:db8::5", "172.17.0.1", "10.8.0.1"],
            bootID: "b1", agentVersion: "0.1.0")
        let db = HostFacts(
            hostname: "db-2", osName: "Alpine Linux v3.19", kernel: "6.6.7-0-lts",
            architecture: "aarch64", cpuCount: 1, memoryBytes: 1_073_741_824,
            ipAddresses: [], bootID: "b2", agentVersion: "0.2.0-dev")

        #expect(FactsTable.render([(host: "web-1", facts: web), (host: "db-2", facts: db)]) == """
            HOST   OS                              KERNEL          ARCH     CPUS   MEM  IPS                        AGENT
            -----  ------------------------------  --------------  -------  ----  ----  -------------------------  ---------
            web-1  Debian GNU/Linux 12 (bookworm)  6.1.0-18-amd64  x86_64      4   16G  10.0.0.5,2001:db8::5 (+2)  0.1.0
            db-2   Alpine Linux v3.19              6.6.7-0-lts     aarch64     1  1.0G  -                          0.2.0-dev
            """)
    }

    @Test func listsUpToTwoAddresses() {
        #expect(FactsTable.addresses(["10.0.0.1"]) == "10.0.0.1")
        #expect(FactsTable.addresses(["10.0.0.1", "10.0.0.2"]) == "10.0.0.1,10.0.0.2")
        #expect(FactsTable.addresses(["a", "b", "c"]) == "a,b (+1)")
        #expect(FactsTable.addresses([]) == "-")
    }
}
