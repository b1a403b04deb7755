import Logging
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one argv (never through a shell) in its own session, streaming its output to a sink.
///
/// The child leads a new session and process group. On timeout or cancellation of the calling task
/// the whole group gets SIGTERM, then SIGKILL after `killGrace`; members still running when the
/// child exits are ended the same way, so nothing a command starts outlives its run.
public struct CommandRunner: Sendable {
    /// Settings that are the agent's, not the command's.
    public struct Configuration: Sendable {
        /// Time between SIGTERM and SIGKILL to the process group.
        public var killGrace: Duration
        /// `PATH` used to find bare executable names, unless the spec overrides `PATH`.
        public var searchPath: String
        /// Wall clock in milliseconds since the Unix epoch, for `startedAt` / `finishedAt`.
        public var wallClockMillis: @Sendable () -> Int64

        /// Used when the agent itself has no `PATH`.
        public static let fallbackSearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

        public init(
            killGrace: Duration = .seconds(2),
            searchPath: String? = nil,
            wallClockMillis: @escaping @Sendable () -> Int64 = Configuration.systemWallClockMillis
        ) {
            self.killGrace = killGrace
            self.searchPath = searchPath ?? getenv("PATH").map { String(cString: $0) } ?? Self.fallbackSearchPath
            self.wallClockMillis = wallClockMillis
        }

        /// CLOCK_REALTIME in milliseconds.
        @Sendable public static func systemWallClockMillis() -> Int64 {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
        }
    }

    public let configuration: Configuration
    private let logger: Logger

    public init(configuration: Configuration = Configuration(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs `spec` to its end, delivering output to `sink` as it is read.
    ///
    /// `started` is told the command's process group as soon as it runs: the supervisor records it in
    /// the job's spool entry, so that an agent restarted after dying mid-job can end what its
    /// predecessor left running. (An explicit callback: a `@TaskLocal` of function type crashed
    /// `swift_task_localValuePush` in release builds with the static Swift runtime.)
    ///
    /// A non-zero exit, a timeout or a cancellation is an outcome, not an error; errors mean the
    /// command could not be started (`executableNotFound`, `invalidSpec`, ...) or followed.
    public func run(
        _ spec: CommandSpec, sink: @escaping OutputSink, started: @escaping ProcessStarted = { _ in }
    ) async throws(ExecutionError) -> CommandOutcome {
        let launch = try prepare(spec)
        let control = RunControl()
        let ledger = OutputLedger(limit: spec.outputLimit)
        let clock = ContinuousClock()
        let startedAt = configuration.wallClockMillis()
        let start = clock.now
        var logger = self.logger
        logger[metadataKey: "command.executable"] = "\(launch.executablePath)"

        let status: TerminationStatus
        do {
            status = try await withTaskCancellationHandler {
                try await Subprocess.run(
                    launch.configuration, input: .none, output: .sequence, error: .sequence
                ) { execution in
                    let group = ProcessGroup(id: execution.processIdentifier.value)
                    control.started(group)
                    started(group.id)
                    logger.debug("command started", metadata: ["command.pid": "\(group.id)"])
                    try await Self.follow(
                        stdout: execution.standardOutput, stderr: execution.standardError,
                        spec: spec, grace: configuration.killGrace,
                        control: control, ledger: ledger, sink: sink)
                }.terminationStatus
            } onCancel: {
                control.markCancelled()
            }
        } catch {
            await endGroup(of: control)
            throw Self.executionError(error, executable: launch.executablePath)
        }
        await endGroup(of: control)

        let state = control.snapshot
        if state.timedOut {
            logger.notice("command timed out", metadata: ["command.timeout": "\(spec.timeout)"])
        }
        return CommandOutcome(
            termination: Self.termination(status),
            timedOut: state.timedOut,
            cancelled: state.cancelled,
            truncated: await ledger.truncated,
            stdoutBytes: await ledger.bytes(.stdout),
            stderrBytes: await ledger.bytes(.stderr),
            droppedBytes: await ledger.droppedBytes,
            startedAt: startedAt,
            finishedAt: configuration.wallClockMillis(),
            duration: start.duration(to: clock.now))
    }

    /// Ends whatever is left of the process group (stragglers after a normal exit, or members that
    /// outlived SIGTERM on timeout or cancellation).
    private func endGroup(of control: RunControl) async {
        let state = control.snapshot
        guard let group = state.group else { return }
        await group.terminate(grace: configuration.killGrace, termSentAt: state.termSentAt)
    }

    private static func termination(_ status: TerminationStatus) -> CommandTermination {
        switch status {
        case .exited(let code): .exited(code)
        case .signaled(let signal): .signaled(signal)
        }
    }

    private static func executionError(_ error: any Error, executable: String) -> ExecutionError {
        if let error = error as? ExecutionError { return error }
        guard let error = error as? SubprocessError else {
            return ExecutionError(code: .ioFailed, command: executable, detail: "\(error)")
        }
        let code: ExecutionError.Code
        switch error.code {
        case .executableNotFound: code = .executableNotFound
        case .failedToChangeWorkingDirectory: code = .workingDirectoryNotFound
        case .spawnFailed: code = .spawnFailed
        default: code = .ioFailed
        }
        return ExecutionError(code: code, command: executable, detail: "\(error)")
    }
}
