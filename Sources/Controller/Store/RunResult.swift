import Foundation

/// How a run ended, as reported by the agent (or decided by the controller).
public struct RunResult: Sendable, Hashable {
    /// Must be one of ``RunStatus/final``.
    public var status: RunStatus
    public var exitCode: Int?
    public var signal: Int?
    public var error: String?
    public var structured: Data?
    /// When the work started, if the run never reported `running` (kept only if none is recorded).
    public var startedAt: Date?
    public var finishedAt: Date
    public var truncated: Bool

    public init(
        status: RunStatus,
        exitCode: Int? = nil,
        signal: Int? = nil,
        error: String? = nil,
        structured: Data? = nil,
        startedAt: Date? = nil,
        finishedAt: Date,
        truncated: Bool = false
    ) {
        self.status = status
        self.exitCode = exitCode
        self.signal = signal
        self.error = error
        self.structured = structured
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.truncated = truncated
    }
}
