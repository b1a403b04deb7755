#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HostSystem {
    /// The real kernel.
    public static let live = HostSystem(
        hostname: liveHostname,
        kernel: liveKernel,
        interfaceAddresses: liveInterfaceAddresses,
        onlineCPUCount: { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) },
        fileSystemStats: liveFileSystemStats)

    private static func liveHostname() throws -> String {
        // HOST_NAME_MAX is 64 on Linux; the extra room guarantees a terminating NUL.
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else {
            throw HostProbeError(code: .systemCallFailed, source: "gethostname", detail: "errno \(errno)")
        }
        return decodeCString(buffer)
    }

    private static func liveKernel() throws -> KernelIdentity {
        var names = utsname()
        guard uname(&names) == 0 else {
            throw HostProbeError(code: .systemCallFailed, source: "uname", detail: "errno \(errno)")
        }
        return KernelIdentity(release: fixedField(&names.release), machine: fixedField(&names.machine))
    }

    private static func liveFileSystemStats(_ mountPoint: String) throws -> FileSystemStats {
        var stats = statvfs()
        guard statvfs(mountPoint, &stats) == 0 else {
            throw HostProbeError(code: .systemCallFailed, source: "statvfs", detail: "\(mountPoint): errno \(errno)")
        }
        return FileSystemStats(
            fragmentSize: UInt64(stats.f_frsize),
            blocks: UInt64(stats.f_blocks),
            freeBlocks: UInt64(stats.f_bfree),
            availableBlocks: UInt64(stats.f_bavail))
    }

    private static func liveInterfaceAddresses() throws -> [InterfaceAddress] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0 else {
            throw HostProbeError(code: .systemCallFailed, source: "getifaddrs", detail: "errno \(errno)")
        }
        defer { freeifaddrs(head) }

        var result: [InterfaceAddress] = []
        var cursor = head
        while let entry = cursor {
            cursor = entry.pointee.ifa_next
            guard let socketAddress = entry.pointee.ifa_addr,
                  let text = numericHost(socketAddress),
                  let namePointer = entry.pointee.ifa_name
            else { continue }
            let isLoopback = (entry.pointee.ifa_flags & UInt32(IFF_LOOPBACK)) != 0
            result.append(InterfaceAddress(
                interface: String(cString: namePointer),
                address: text,
                isIPv6: Int32(socketAddress.pointee.sa_family) == AF_INET6,
                isLoopback: isLoopback))
        }
        return result
    }

    /// inet_ntop for AF_INET/AF_INET6 socket addresses; nil for other families (AF_PACKET etc.).
    private static func numericHost(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let capacity = socklen_t(buffer.count - 1)
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let converted = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                var raw = ipv4.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &buffer, capacity) != nil
            }
            return converted ? decodeCString(buffer) : nil
        case AF_INET6:
            let converted = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                var raw = ipv6.pointee.sin6_addr
                return inet_ntop(AF_INET6, &raw, &buffer, capacity) != nil
            }
            return converted ? decodeCString(buffer) : nil
        default:
            return nil
        }
    }

    /// A C string from a buffer, stopping at the first NUL or the buffer's end.
    private static func decodeCString(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A fixed-size `char[N]` field of a C struct (imported as a tuple) as a String.
    private static func fixedField<T>(_ field: inout T) -> String {
        withUnsafeBytes(of: &field) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
