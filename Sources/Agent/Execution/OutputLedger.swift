/// Shares one output budget between a run's stdout and stderr and numbers each stream's bytes.
actor OutputLedger {
    /// The part of a read that may be delivered, and where it starts in its stream.
    struct Grant: Sendable, Equatable {
        var offset: UInt64
        var count: Int
    }

    private let limit: UInt64
    private var delivered: [OutputStreamKind: UInt64] = [.stdout: 0, .stderr: 0]
    private(set) var droppedBytes: UInt64 = 0

    init(limit: Int) {
        self.limit = UInt64(max(0, limit))
    }

    /// Reserves up to `count` bytes of `stream`; whatever does not fit in the budget is counted as dropped.
    ///
    /// Reservation happens before the sink is awaited, so the two streams never overspend the budget.
    func reserve(_ stream: OutputStreamKind, count: Int) -> Grant {
        let wanted = UInt64(max(0, count))
        let used = bytes(.stdout) + bytes(.stderr)
        let granted = min(wanted, limit - min(limit, used))
        let offset = bytes(stream)
        delivered[stream] = offset + granted
        droppedBytes += wanted - granted
        return Grant(offset: offset, count: Int(granted))
    }

    func bytes(_ stream: OutputStreamKind) -> UInt64 {
        delivered[stream] ?? 0
    }

    var truncated: Bool { droppedBytes > 0 }
}
