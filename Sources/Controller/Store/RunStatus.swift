import GRDB

/// Where one job stands on one agent. The last eight are final: once reached, never left.
public enum RunStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case queued
    case offered
    case running
    case rebooting
    case succeeded
    case failed
    case timedOut = "timed_out"
    case rejected
    case undelivered
    case cancelled
    case lost
    case skipped

    /// Statuses a run never leaves; the first one recorded wins.
    public static let final: Set<RunStatus> = [
        .succeeded, .failed, .timedOut, .rejected, .undelivered, .cancelled, .lost, .skipped,
    ]

    /// Statuses of runs still in flight.
    public static let inFlight: Set<RunStatus> = Set(allCases).subtracting(final)

    /// Whether the run is over.
    public var isFinal: Bool { Self.final.contains(self) }
}
