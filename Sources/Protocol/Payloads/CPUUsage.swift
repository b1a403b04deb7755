/// CPU time shares (0...100) over a sample interval, summed over all CPUs.
///
/// `user + system + iowait + idle` is 100 minus stolen time; `busy` is everything but idle and iowait.
public struct CPUUsage: Codable, Sendable, Equatable {
    /// User and nice time.
    public var userPercent: Double
    /// Kernel, hard-irq and soft-irq time.
    public var systemPercent: Double
    public var iowaitPercent: Double
    public var idlePercent: Double
    public var busyPercent: Double

    public init(userPercent: Double, systemPercent: Double, iowaitPercent: Double, idlePercent: Double, busyPercent: Double) {
        self.userPercent = userPercent
        self.systemPercent = systemPercent
        self.iowaitPercent = iowaitPercent
        self.idlePercent = idlePercent
        self.busyPercent = busyPercent
    }

    enum CodingKeys: String, CodingKey {
        case userPercent = "user_percent"
        case systemPercent = "system_percent"
        case iowaitPercent = "iowait_percent"
        case idlePercent = "idle_percent"
        case busyPercent = "busy_percent"
    }
}
