/// Job ids seen recently, kept until their signature window has passed.
///
/// Once an entry is pruned, the job's own expiry makes a replay fail the time-window check,
/// so the cache stays bounded by the number of jobs inside one window.
public struct ReplayCache: Sendable, Hashable {
    private var expiries: [String: Int64] = [:]

    public init() {}

    public var count: Int { expiries.count }

    public func contains(_ jobID: String) -> Bool { expiries[jobID] != nil }

    /// The `serialized` line for one recorded job id.
    public func line(for jobID: String) -> String? {
        expiries[jobID].map { "\(jobID) \($0)\n" }
    }

    /// Records a job id; false when it was already present.
    public mutating func insert(jobID: String, expiresMilliseconds: Int64) -> Bool {
        guard expiries[jobID] == nil else { return false }
        expiries[jobID] = expiresMilliseconds
        return true
    }

    public mutating func prune(nowMilliseconds: Int64) {
        expiries = expiries.filter { $0.value >= nowMilliseconds }
    }

    /// One `jobID expiry` pair per line, for the agent's state file.
    public var serialized: String {
        expiries.keys.sorted().compactMap { line(for: $0) }.joined()
    }

    /// Parses `serialized`; malformed lines are skipped, since the time window still protects them.
    public init(serialized: String) {
        for line in serialized.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let expiry = Int64(parts[1]) else { continue }
            expiries[String(parts[0])] = expiry
        }
    }
}
