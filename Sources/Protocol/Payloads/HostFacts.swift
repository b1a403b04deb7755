/// Slow-changing identity of a host, reported by the `facts` action and on connect.
///
/// Travels as JSON inside job results; the snake_case keys below are the wire format and must not change.
public struct HostFacts: Codable, Sendable, Equatable {
    public var hostname: String
    /// `PRETTY_NAME` from os-release, e.g. "Debian GNU/Linux 12 (bookworm)".
    public var osName: String
    /// Kernel release (`uname -r`), e.g. "6.1.0-18-amd64".
    public var kernel: String
    /// Machine hardware name (`uname -m`), e.g. "x86_64".
    public var architecture: String
    public var cpuCount: Int
    public var memoryBytes: UInt64
    /// Non-loopback IPv4 and IPv6 addresses, in interface order.
    public var ipAddresses: [String]
    /// Changes on every boot; the controller uses it to detect that a reboot happened.
    public var bootID: String
    public var agentVersion: String

    public init(
        hostname: String,
        osName: String,
        kernel: String,
        architecture: String,
        cpuCount: Int,
        memoryBytes: UInt64,
        ipAddresses: [String],
        bootID: String,
        agentVersion: String
    ) {
        self.hostname = hostname
        self.osName = osName
        self.kernel = kernel
        self.architecture = architecture
        self.cpuCount = cpuCount
        self.memoryBytes = memoryBytes
        self.ipAddresses = ipAddresses
        self.bootID = bootID
        self.agentVersion = agentVersion
    }

    enum CodingKeys: String, CodingKey {
        case hostname
        case osName = "os_name"
        case kernel
        case architecture
        case cpuCount = "cpu_count"
        case memoryBytes = "memory_bytes"
        case ipAddresses = "ip_addresses"
        case bootID = "boot_id"
        case agentVersion = "agent_version"
    }
}
