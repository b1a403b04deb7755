/// How a child process ended.
public enum CommandTermination: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// True only for a normal exit with status 0.
    public var isSuccess: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let code): "exited(\(code))"
        case .signaled(let signal): "signaled(\(signal))"
        }
    }
}

/// The result of one command run: how it ended, why, and how much output it produced.
public struct CommandOutcome: Sendable, Hashable {
    public var termination: CommandTermination
    /// The run hit `CommandSpec.timeout` and its process group was terminated.
    public var timedOut: Bool
    /// The calling task was cancelled and the process group was terminated.
    public var cancelled: Bool
    /// Output went past `CommandSpec.outputLimit`; the excess was drained and dropped.
    public var truncated: Bool
    /// Bytes delivered to the sink from each stream.
    public var stdoutBytes: UInt64
    public var stderrBytes: UInt64
    /// Bytes the child wrote past the limit, read and thrown away.
    public var droppedBytes: UInt64
    /// Wall-clock times in milliseconds since the Unix epoch, for records and reports.
    public var startedAt: Int64
    public var finishedAt: Int64
    /// Monotonic run time, immune to wall-clock steps.
    public var duration: Duration

    public init(
        termination: CommandTermination,
        timedOut: Bool = false,
        cancelled: Bool = false,
        truncated: Bool = false,
        stdoutBytes: UInt64 = 0,
        stderrBytes: UInt64 = 0,
        droppedBytes: UInt64 = 0,
        startedAt: Int64,
        finishedAt: Int64,
        duration: Duration
    ) {
        self.termination = termination
        self.timedOut = timedOut
        self.cancelled = cancelled
        self.truncated = truncated
        self.stdoutBytes = stdoutBytes
        self.stderrBytes = stderrBytes
        self.droppedBytes = droppedBytes
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.duration = duration
    }
}
