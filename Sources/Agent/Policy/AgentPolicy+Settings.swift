extension AgentPolicy {
    /// One allowlisted command (`commands.NAME`).
    public struct CommandRule: Sendable, Hashable {
        /// Fixed argv; `argv[0]` is an absolute path.
        public var argv: [String]
        /// `nil` means `limits.default_timeout`.
        public var timeout: Duration?
        /// How many extra arguments a job may append.
        public var maxArgs: Int
        /// Required when `maxArgs > 0`; each extra argument must match it completely.
        public var argPattern: ArgumentPattern?
        public var environment: [String: String]

        public init(
            argv: [String],
            timeout: Duration? = nil,
            maxArgs: Int = 0,
            argPattern: ArgumentPattern? = nil,
            environment: [String: String] = [:]
        ) {
            self.argv = argv
            self.timeout = timeout
            self.maxArgs = maxArgs
            self.argPattern = argPattern
            self.environment = environment
        }
    }

    /// Resource limits for every job (`limits`).
    public struct Limits: Sendable, Hashable {
        public var outputMaxBytes: Int
        public var defaultTimeout: Duration
        public var maxConcurrentJobs: Int
        /// Output the spool keeps for finished jobs awaiting the controller's acknowledgement; past it the
        /// oldest finished jobs' output is dropped (their results are kept, marked truncated).
        public var spoolMaxBytes: Int

        public init(
            outputMaxBytes: Int = 1 << 20, defaultTimeout: Duration = .seconds(300), maxConcurrentJobs: Int = 8,
            spoolMaxBytes: Int = 256 << 20
        ) {
            self.outputMaxBytes = outputMaxBytes
            self.defaultTimeout = defaultTimeout
            self.maxConcurrentJobs = maxConcurrentJobs
            self.spoolMaxBytes = spoolMaxBytes
        }
    }

    /// How this host is driven (`system`): overridable for tests and non-systemd hosts.
    public struct SystemSettings: Sendable, Hashable {
        public var serviceManager: [String]
        public var rebootCommand: [String]
        public var bootIDFile: String

        public init(
            serviceManager: [String] = ["systemctl"],
            rebootCommand: [String] = ["systemctl", "reboot"],
            bootIDFile: String = "/proc/sys/kernel/random/boot_id"
        ) {
            self.serviceManager = serviceManager
            self.rebootCommand = rebootCommand
            self.bootIDFile = bootIDFile
        }
    }
}
