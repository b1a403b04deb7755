/// Runs `<serviceManagerArgv> <operation> <unit>` (by default `systemctl restart nginx`).
///
/// The argv is configurable (agent policy `system.service_manager`) so tests can use a fake script.
public struct ServiceManager: Sendable {
    public var argv: [String]
    public var timeout: Duration
    public var outputLimit: Int
    private let runner: CommandRunner

    public init(
        runner: CommandRunner,
        argv: [String] = ["systemctl"],
        timeout: Duration = .seconds(300),
        outputLimit: Int = 1 << 20
    ) {
        self.runner = runner
        self.argv = argv
        self.timeout = timeout
        self.outputLimit = outputLimit
    }

    /// The spec that `perform` would run; throws `invalidUnitName` for a unit outside the allowed
    /// character set and `invalidSpec` for an empty service manager argv.
    public func commandSpec(_ operation: ServiceOperation, unit: String) throws(ExecutionError) -> CommandSpec {
        if let problem = ServiceUnitName.problem(with: unit) {
            throw ExecutionError(code: .invalidUnitName, command: unit, detail: problem)
        }
        guard let executable = argv.first else {
            throw ExecutionError(code: .invalidSpec, command: unit, detail: "the service manager argv is empty")
        }
        return CommandSpec(
            executable: executable,
            arguments: Array(argv.dropFirst()) + [operation.rawValue, unit],
            timeout: timeout,
            outputLimit: outputLimit)
    }

    /// Runs `operation` on `unit`; the manager's exit status is in the outcome (e.g. 3 = inactive
    /// for `systemctl status`).
    public func perform(
        _ operation: ServiceOperation, unit: String, sink: @escaping OutputSink
    ) async throws(ExecutionError) -> CommandOutcome {
        try await runner.run(commandSpec(operation, unit: unit), sink: sink)
    }
}
