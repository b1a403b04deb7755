import StewardProtocol

/// Cumulative CPU time counters (in USER_HZ ticks) from the aggregate `cpu` line of /proc/stat.
struct CPUTimes: Sendable, Equatable {
    var user: UInt64
    var nice: UInt64
    var system: UInt64
    var idle: UInt64
    var iowait: UInt64
    var irq: UInt64
    var softirq: UInt64
    var steal: UInt64

    /// Guest time is deliberately absent: the kernel already counts it inside user and nice.
    var total: UInt64 { user &+ nice &+ system &+ idle &+ iowait &+ irq &+ softirq &+ steal }

    /// Shares of each kind of time between `earlier` and this sample.
    ///
    /// Counters can step backwards (iowait does on NO_HZ kernels, and some hypervisors reset steal),
    /// so each delta saturates at zero instead of wrapping.
    func usage(since earlier: CPUTimes) -> CPUUsage {
        func delta(_ keyPath: KeyPath<CPUTimes, UInt64>) -> Double {
            let now = self[keyPath: keyPath]
            let before = earlier[keyPath: keyPath]
            return now >= before ? Double(now - before) : 0
        }
        let user = delta(\.user) + delta(\.nice)
        let system = delta(\.system) + delta(\.irq) + delta(\.softirq)
        let iowait = delta(\.iowait)
        let idle = delta(\.idle)
        let steal = delta(\.steal)
        let total = user + system + iowait + idle + steal
        guard total > 0 else {
            // No ticks elapsed (interval shorter than one tick): report an idle machine, not NaN.
            return CPUUsage(userPercent: 0, systemPercent: 0, iowaitPercent: 0, idlePercent: 100, busyPercent: 0)
        }
        func percent(_ ticks: Double) -> Double { ticks * 100 / total }
        return CPUUsage(
            userPercent: percent(user),
            systemPercent: percent(system),
            iowaitPercent: percent(iowait),
            idlePercent: percent(idle),
            busyPercent: percent(user + system + steal))
    }
}
