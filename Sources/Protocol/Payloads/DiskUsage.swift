/// Space on one mounted filesystem, as `df` reports it.
public struct DiskUsage: Codable, Sendable, Equatable {
    public var mountPoint: String
    public var fsType: String
    public var totalBytes: UInt64
    public var usedBytes: UInt64
    /// Space available to unprivileged users (excludes the root reserve), so `used + available` may be < total.
    public var availableBytes: UInt64
    /// `used / (used + available) * 100`, the same figure `df` shows as Use%.
    public var usedPercent: Double

    public init(mountPoint: String, fsType: String, totalBytes: UInt64, usedBytes: UInt64, availableBytes: UInt64, usedPercent: Double) {
        self.mountPoint = mountPoint
        self.fsType = fsType
        self.totalBytes = totalBytes
        self.usedBytes = usedBytes
        self.availableBytes = availableBytes
        self.usedPercent = usedPercent
    }

    enum CodingKeys: String, CodingKey {
        case mountPoint = "mount_point"
        case fsType = "fs_type"
        case totalBytes = "total_bytes"
        case usedBytes = "used_bytes"
        case availableBytes = "available_bytes"
        case usedPercent = "used_percent"
    }
}
