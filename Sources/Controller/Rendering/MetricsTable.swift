import StewardProtocol

/// The one-line-per-host summary of `metrics` results, for chat replies and the CLI.
public enum MetricsTable {
    /// Columns: HOST, CPU% (busy), LOAD(1/5/15), MEM used/total, SWAP used/total, DISK (fullest mount),
    /// UPTIME. Rows keep the caller's order.
    public static func render(_ rows: [(host: String, metrics: HostMetrics)]) -> String {
        var table = TextTable(columns: [
            .init("HOST"),
            .init("CPU%", alignment: .right),
            .init("LOAD(1/5/15)"),
            .init("MEM", alignment: .right),
            .init("SWAP", alignment: .right),
            .init("DISK", maxWidth: 32),
            .init("UPTIME", alignment: .right),
        ])
        for (host, metrics) in rows {
            table.append([
                host,
                DecimalFormat.fixed(metrics.cpu.busyPercent, fractionDigits: 1),
                [metrics.load1, metrics.load5, metrics.load15]
                    .map { DecimalFormat.fixed($0, fractionDigits: 2) }
                    .joined(separator: "/"),
                ByteFormat.human(metrics.memory.usedBytes) + "/" + ByteFormat.human(metrics.memory.totalBytes),
                swap(metrics.memory),
                fullestDisk(metrics.disks),
                DurationFormat.short(seconds: metrics.uptimeSeconds),
            ])
        }
        return table.render()
    }

    static func swap(_ memory: MemoryUsage) -> String {
        guard memory.swapTotalBytes > 0 else { return "-" }
        return ByteFormat.human(memory.swapUsedBytes) + "/" + ByteFormat.human(memory.swapTotalBytes)
    }

    /// "87% /var" for the mount with the highest usage (the first one on ties); "-" without disks.
    /// The percentage rounds up like `df`, so a nearly full disk never shows as less full than it is.
    static func fullestDisk(_ disks: [DiskUsage]) -> String {
        var fullest: DiskUsage?
        for disk in disks where disk.usedPercent > (fullest?.usedPercent ?? -1) {
            fullest = disk
        }
        guard let fullest else { return "-" }
        let percent = fullest.usedPercent.isFinite ? Int(min(max(fullest.usedPercent, 0), 100).rounded(.up)) : 0
        return "\(percent)% \(fullest.mountPoint)"
    }
}
