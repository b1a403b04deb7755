import StewardProtocol

/// Everything a job touches outside the agent's own state, injected so tests can fake the host.
public struct JobToolkit: Sendable {
    /// Runs one argv, streaming output to the sink and telling its process group when it starts
    /// (production: `CommandRunner.run`).
    public var runCommand: @Sendable (CommandSpec, @escaping OutputSink, @escaping ProcessStarted) async throws -> CommandOutcome
    public var facts: @Sendable () async throws -> HostFacts
    public var metrics: @Sendable () async throws -> HostMetrics
    /// The current boot id; it changes on every boot of the host.
    public var bootID: @Sendable () throws -> String
    /// Wall clock, milliseconds since the Unix epoch.
    public var now: @Sendable () -> Int64
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        runCommand: @escaping @Sendable (CommandSpec, @escaping OutputSink, @escaping ProcessStarted) async throws -> CommandOutcome,
        facts: @escaping @Sendable () async throws -> HostFacts,
        metrics: @escaping @Sendable () async throws -> HostMetrics,
        bootID: @escaping @Sendable () throws -> String,
        now: @escaping @Sendable () -> Int64 = CommandRunner.Configuration.systemWallClockMillis,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.runCommand = runCommand
        self.facts = facts
        self.metrics = metrics
        self.bootID = bootID
        self.now = now
        self.sleep = sleep
    }

    /// The real host: commands through `runner`, facts and metrics from /proc.
    public static func live(runner: CommandRunner, facts: FactsCollector, metrics: MetricsCollector) -> JobToolkit {
        JobToolkit(
            runCommand: { spec, sink, started in try await runner.run(spec, sink: sink, started: started) },
            facts: { try facts.collect() },
            metrics: { try await metrics.collect() },
            bootID: { try facts.currentBootID() })
    }
}
