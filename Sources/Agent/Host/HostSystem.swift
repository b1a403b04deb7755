/// The system calls the host collectors depend on, as injectable closures so tests can fake them.
///
/// `HostSystem.live` calls the real kernel; tests build one with fixed answers.
public struct HostSystem: Sendable {
    /// gethostname(2).
    public var hostname: @Sendable () throws -> String
    /// uname(2) release and machine.
    public var kernel: @Sendable () throws -> KernelIdentity
    /// getifaddrs(3), IPv4 and IPv6 entries only.
    public var interfaceAddresses: @Sendable () throws -> [InterfaceAddress]
    /// sysconf(_SC_NPROCESSORS_ONLN); 0 or less when unknown.
    public var onlineCPUCount: @Sendable () -> Int
    /// statvfs(3) of a mount point, as listed in /proc/mounts.
    public var fileSystemStats: @Sendable (_ mountPoint: String) throws -> FileSystemStats

    public init(
        hostname: @escaping @Sendable () throws -> String,
        kernel: @escaping @Sendable () throws -> KernelIdentity,
        interfaceAddresses: @escaping @Sendable () throws -> [InterfaceAddress],
        onlineCPUCount: @escaping @Sendable () -> Int,
        fileSystemStats: @escaping @Sendable (_ mountPoint: String) throws -> FileSystemStats
    ) {
        self.hostname = hostname
        self.kernel = kernel
        self.interfaceAddresses = interfaceAddresses
        self.onlineCPUCount = onlineCPUCount
        self.fileSystemStats = fileSystemStats
    }
}

/// Kernel release and machine architecture, as `uname -r` and `uname -m` print them.
public struct KernelIdentity: Sendable, Equatable {
    public var release: String
    public var machine: String

    public init(release: String, machine: String) {
        self.release = release
        self.machine = machine
    }
}

/// One address assigned to a network interface.
public struct InterfaceAddress: Sendable, Equatable {
    public var interface: String
    /// Textual form, e.g. "10.0.0.5" or "2001:db8::1".
    public var address: String
    public var isIPv6: Bool
    /// The interface has IFF_LOOPBACK set.
    public var isLoopback: Bool

    public init(interface: String, address: String, isIPv6: Bool, isLoopback: Bool) {
        self.interface = interface
        self.address = address
        self.isIPv6 = isIPv6
        self.isLoopback = isLoopback
    }
}

/// The statvfs fields needed to compute disk usage; sizes are in units of `fragmentSize` bytes.
public struct FileSystemStats: Sendable, Equatable {
    public var fragmentSize: UInt64
    public var blocks: UInt64
    public var freeBlocks: UInt64
    /// Free blocks usable by unprivileged users (free minus the root reserve).
    public var availableBlocks: UInt64

    public init(fragmentSize: UInt64, blocks: UInt64, freeBlocks: UInt64, availableBlocks: UInt64) {
        self.fragmentSize = fragmentSize
        self.blocks = blocks
        self.freeBlocks = freeBlocks
        self.availableBlocks = availableBlocks
    }
}
