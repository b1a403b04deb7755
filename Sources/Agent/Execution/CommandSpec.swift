/// One process to run: an argv (never a shell line) plus the limits it runs under.
public struct CommandSpec: Sendable, Hashable {
    /// An absolute path, or a bare name looked up in `PATH`. Relative paths are refused.
    public var executable: String
    public var arguments: [String]
    /// Variables set (or replaced) on top of the agent's own environment.
    public var environment: [String: String]
    /// Directory the child starts in; `nil` keeps the agent's.
    public var workingDirectory: String?
    /// Wall time after which the whole process group is terminated.
    public var timeout: Duration
    /// Bytes kept across stdout and stderr together; the rest is drained and dropped.
    public var outputLimit: Int

    public init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        workingDirectory: String? = nil,
        timeout: Duration = .seconds(300),
        outputLimit: Int = 1 << 20
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.outputLimit = outputLimit
    }

    /// The full argv as it would be shown to a person (`executable` first).
    public var argv: [String] { [executable] + arguments }
}
