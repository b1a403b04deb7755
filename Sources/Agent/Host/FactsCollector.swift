import StewardProtocol

/// Gathers `HostFacts` from files under `root` and from `HostSystem` calls.
public struct FactsCollector: Sendable {
    /// The conventional boot id file; a fresh random UUID on every boot.
    public static let defaultBootIDPath = "/proc/sys/kernel/random/boot_id"

    public var agentVersion: String
    /// Directory standing for "/" (fixture trees in tests).
    public var root: String
    /// Full path of the boot id file, used as is; nil means `defaultBootIDPath` under `root`.
    /// Agent tests point this at a file they rewrite to simulate reboots.
    public var bootIDPath: String?
    public var system: HostSystem

    public init(agentVersion: String, root: String = "/", bootIDPath: String? = nil, system: HostSystem = .live) {
        self.agentVersion = agentVersion
        self.root = root
        self.bootIDPath = bootIDPath
        self.system = system
    }

    public func collect() throws -> HostFacts {
        let files = HostFileReader(root: root)
        let kernel = try system.kernel()
        let memory = try MemInfoParser.parse(try files.read("/proc/meminfo"), source: files.resolve("/proc/meminfo"))
        guard let memoryBytes = memory["MemTotal"] else {
            throw HostProbeError(code: .missingField, source: files.resolve("/proc/meminfo"), detail: "MemTotal is absent")
        }
        return HostFacts(
            hostname: try system.hostname(),
            osName: try osName(files),
            kernel: try kernelRelease(files, fallback: kernel.release),
            architecture: kernel.machine,
            cpuCount: try cpuCount(files),
            memoryBytes: memoryBytes,
            ipAddresses: try ipAddresses(),
            bootID: try bootID(files),
            agentVersion: agentVersion)
    }

    /// Reads only the boot id; the agent checks it on start to notice that the host rebooted.
    public func currentBootID() throws -> String {
        try bootID(HostFileReader(root: root))
    }

    private func bootID(_ files: HostFileReader) throws -> String {
        let path = bootIDPath ?? files.resolve(Self.defaultBootIDPath)
        guard let text = try HostFileReader.readFile(atPath: path, maximumBytes: 4096) else {
            throw HostProbeError(code: .unreadable, source: path, detail: "no such file")
        }
        return try BootIDParser.parse(text, source: path)
    }

    private func osName(_ files: HostFileReader) throws -> String {
        // /etc/os-release takes precedence; /usr/lib/os-release is the vendor fallback per the spec.
        let text = try files.readIfPresent("/etc/os-release") ?? files.readIfPresent("/usr/lib/os-release") ?? ""
        return OSReleaseParser.displayName(OSReleaseParser.parse(text))
    }

    private func kernelRelease(_ files: HostFileReader, fallback: String) throws -> String {
        let release = try files.readIfPresent("/proc/sys/kernel/osrelease").map { ProcText.trim(Substring($0)) }
        if let release, !release.isEmpty { return release }
        return fallback
    }

    private func cpuCount(_ files: HostFileReader) throws -> Int {
        // s390x and some ARM kernels format cpuinfo differently; sysconf covers them.
        if let text = try files.readIfPresent("/proc/cpuinfo") {
            let counted = CPUInfoParser.processorCount(text)
            if counted > 0 { return counted }
        }
        return max(1, system.onlineCPUCount())
    }

    /// Non-loopback addresses, deduplicated in interface order. IPv6 link-local (fe80::/10) is left
    /// out: it needs a zone to be usable and says nothing about where the host can be reached.
    private func ipAddresses() throws -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for entry in try system.interfaceAddresses() {
            let address = entry.address.lowercased()
            guard !entry.isLoopback,
                  !address.hasPrefix("127."), address != "::1",
                  !(entry.isIPv6 && Self.isLinkLocalIPv6(address)),
                  seen.insert(address).inserted
            else { continue }
            result.append(address)
        }
        return result
    }

    private static func isLinkLocalIPv6(_ address: String) -> Bool {
        ["fe8", "fe9", "fea", "feb"].contains { address.hasPrefix($0) }
    }
}
