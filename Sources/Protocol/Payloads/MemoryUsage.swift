/// Physical memory and swap, in bytes, as the kernel reports them in /proc/meminfo.
public struct MemoryUsage: Codable, Sendable, Equatable {
    public var totalBytes: UInt64
    /// Memory that can be given to new work without swapping (`MemAvailable`), caches included.
    public var availableBytes: UInt64
    /// `totalBytes - availableBytes`: what `free` calls used, caches excluded.
    public var usedBytes: UInt64
    public var swapTotalBytes: UInt64
    public var swapUsedBytes: UInt64

    public init(totalBytes: UInt64, availableBytes: UInt64, usedBytes: UInt64, swapTotalBytes: UInt64, swapUsedBytes: UInt64) {
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
        self.usedBytes = usedBytes
        self.swapTotalBytes = swapTotalBytes
        self.swapUsedBytes = swapUsedBytes
    }

    enum CodingKeys: String, CodingKey {
        case totalBytes = "total_bytes"
        case availableBytes = "available_bytes"
        case usedBytes = "used_bytes"
        case swapTotalBytes = "swap_total_bytes"
        case swapUsedBytes = "swap_used_bytes"
    }
}
