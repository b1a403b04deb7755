import StewardProtocol

/// The key/value table of /proc/meminfo with every size converted to bytes.
struct MemInfo: Sendable, Equatable {
    var values: [String: UInt64]

    subscript(key: String) -> UInt64? { values[key] }

    /// Derives the memory figures we report, falling back for kernels older than 3.14 (no MemAvailable).
    func memoryUsage(source: String = "/proc/meminfo") throws -> MemoryUsage {
        guard let total = self["MemTotal"], total > 0 else {
            throw HostProbeError(code: .missingField, source: source, detail: "MemTotal is absent or zero")
        }
        let available: UInt64
        if let reported = self["MemAvailable"] {
            available = reported
        } else {
            guard let free = self["MemFree"] else {
                throw HostProbeError(code: .missingField, source: source, detail: "neither MemAvailable nor MemFree present")
            }
            // Same estimate `free` used before MemAvailable existed.
            let (sum, overflow) = free.addingReportingOverflow((self["Buffers"] ?? 0) &+ (self["Cached"] ?? 0))
            available = overflow ? total : sum
        }
        let clampedAvailable = min(available, total)
        let swapTotal = self["SwapTotal"] ?? 0
        let swapFree = min(self["SwapFree"] ?? swapTotal, swapTotal)
        return MemoryUsage(
            totalBytes: total,
            availableBytes: clampedAvailable,
            usedBytes: total - clampedAvailable,
            swapTotalBytes: swapTotal,
            swapUsedBytes: swapTotal - swapFree)
    }
}

/// Parses /proc/meminfo lines such as "MemTotal:       16316412 kB" or "HugePages_Total:       0".
enum MemInfoParser {
    static func parse(_ text: String, source: String = "/proc/meminfo") throws -> MemInfo {
        var values: [String: UInt64] = [:]
        for (number, line) in ProcText.lines(text) {
            guard let colon = line.firstIndex(of: ":") else {
                throw HostProbeError(code: .malformedLine, source: source, line: number, detail: "no ':' separator")
            }
            let key = String(line[..<colon])
            let fields = ProcText.fields(line[line.index(after: colon)...])
            guard !key.isEmpty, fields.count == 1 || fields.count == 2 else {
                throw HostProbeError(
                    code: .malformedLine, source: source, line: number,
                    detail: "expected 'Key: value [kB]'")
            }
            let raw = try ProcText.unsigned(fields[0], source: source, line: number, name: key)
            var bytes = raw
            if fields.count == 2 {
                guard fields[1] == "kB" else {
                    throw HostProbeError(
                        code: .malformedLine, source: source, line: number,
                        detail: "unknown unit '\(fields[1].prefix(8))'")
                }
                // The kernel's "kB" is KiB.
                let (product, overflow) = raw.multipliedReportingOverflow(by: 1024)
                guard !overflow else {
                    throw HostProbeError(code: .invalidNumber, source: source, line: number, detail: "\(key) overflows in bytes")
                }
                bytes = product
            }
            values[key] = bytes
        }
        guard !values.isEmpty else {
            throw HostProbeError(code: .empty, source: source, detail: "no content")
        }
        return MemInfo(values: values)
    }
}
