/// A point-in-time sample of a host's load, reported by the `metrics` action.
///
/// Travels as JSON inside job results; the snake_case keys below are the wire format and must not change.
public struct HostMetrics: Codable, Sendable, Equatable {
    /// Milliseconds since the Unix epoch, taken on the agent when the sample finished.
    public var collectedAt: Int64
    public var uptimeSeconds: Double
    public var load1: Double
    public var load5: Double
    public var load15: Double
    public var cpu: CPUUsage
    public var memory: MemoryUsage
    public var disks: [DiskUsage]
    public var network: [NetworkInterfaceCounters]

    public init(
        collectedAt: Int64,
        uptimeSeconds: Double,
        load1: Double,
        load5: Double,
        load15: Double,
        cpu: CPUUsage,
        memory: MemoryUsage,
        disks: [DiskUsage],
        network: [NetworkInterfaceCounters]
    ) {
        self.collectedAt = collectedAt
        self.uptimeSeconds = uptimeSeconds
        self.load1 = load1
        self.load5 = load5
        self.load15 = load15
        self.cpu = cpu
        self.memory = memory
        self.disks = disks
        self.network = network
    }

    enum CodingKeys: String, CodingKey {
        case collectedAt = "collected_at"
        case uptimeSeconds = "uptime_seconds"
        case load1
        case load5
        case load15
        case cpu
        case memory
        case disks
        case network
    }
}
