import Crypto
import Foundation
import Logging
import Synchronization
import Testing

@testable import StewardAgent
import StewardProtocol

/// A private directory under /tmp for one runtime test, removed afterwards.
final class RuntimeTestDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "steward-runtime-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ text: String, to name: String) throws {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) -> String? {
        try? String(contentsOfFile: file(name), encoding: .utf8)
    }

    func lines(_ name: String) -> [String] {
        (read(name) ?? "").split(separator: "\n").map(String.init)
    }
}

/// Messages the supervisor sent, collected in order: the controller's side of the wire.
final class RuntimeMessageLog: Sendable {
    private let storage = Mutex<[StewardMessage]>([])

    var send: JobSupervisor.Send {
        { [self] message in self.storage.withLock { $0.append(message) } }
    }

    var messages: [StewardMessage] { storage.withLock { $0 } }

    func clear() { storage.withLock { $0.removeAll() } }

    var accepted: [Wire.JobAccepted] {
        messages.compactMap { if case .jobAccepted(let m) = $0 { m } else { nil } }
    }

    var rejected: [Wire.JobRejected] {
        messages.compactMap { if case .jobRejected(let m) = $0 { m } else { nil } }
    }

    var outputs: [Wire.Output] {
        messages.compactMap { if case .output(let m) = $0 { m } else { nil } }
    }

    var results: [Wire.JobResult] {
        messages.compactMap { if case .jobResult(let m) = $0 { m } else { nil } }
    }

    /// All output bytes of one stream, in the order sent.
    func output(_ stream: Wire.OutputStream) -> String {
        String(decoding: outputs.filter { $0.stream == stream }.flatMap(\.data), as: UTF8.self)
    }

    /// Waits (polling, bounded) until `condition` holds; fails the test on timeout. The bound is generous:
    /// spawning processes stalled for over 10 s while the whole suite ran beside other builds on 2 cores.
    func waitUntil(
        seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (RuntimeMessageLog) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition(self) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not met within \(seconds) s; messages: \(messages.map(\.name))", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}

/// A mutable value shared with `@Sendable` closures (a `Mutex` cannot be passed around by itself).
final class RuntimeBox<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { storage = Mutex(value) }

    var value: Value { storage.withLock { $0 } }

    @discardableResult
    func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result { storage.withLock { body(&$0) } }
}

/// The `AgentRuntimeError` an async call threw, or nil when it threw nothing or something else.
func runtimeError(_ body: () async throws -> Void) async -> AgentRuntimeError? {
    do {
        try await body()
        return nil
    } catch let error as AgentRuntimeError {
        return error
    } catch {
        return nil
    }
}

/// The controller's job-signing side, in memory.
struct RuntimeFakeController {
    static let agentID = "agent-test-1"

    let key = Curve25519.Signing.PrivateKey()
    var signer: JobSigner { JobSigner(key: key) }
    var publicKey: [UInt8] { signer.publicKey }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    func offer(
        _ jobID: String,
        _ action: Wire.Action,
        agentID: String = RuntimeFakeController.agentID,
        notBefore: Int64 = RuntimeFakeController.now() - 1000,
        expires: Int64 = RuntimeFakeController.now() + 60_000,
        signer: JobSigner? = nil
    ) throws -> StewardMessage {
        var spec = Wire.JobSpec()
        spec.jobID = jobID
        spec.agentID = agentID
        spec.action = action
        spec.requestedBy = "tests"
        spec.notBeforeMs = notBefore
        spec.expiresMs = expires
        spec.nonce = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        return .jobOffer(try (signer ?? self.signer).sign(spec))
    }

    static func exec(_ name: String) -> Wire.Action {
        var action = Wire.Action()
        action.kind = .exec
        action.command = name
        return action
    }

    static func action(_ kind: Wire.ActionKind) -> Wire.Action {
        var action = Wire.Action()
        action.kind = kind
        return action
    }
}

/// Builds supervisors over one state directory, as the agent would after each start.
struct RuntimeSupervisorFactory {
    let directory: RuntimeTestDirectory
    let controller: RuntimeFakeController
    var plans: [String: JobPlan] = [:]
    var maxConcurrentJobs = 4
    var rebootConfirmationTimeout: Duration = .seconds(60)
    var spoolMaxBytes: UInt64 = 256 << 20

    static let logger = Logger(label: "steward.tests.runtime") { _ in SwiftLogNoOpLogHandler() }

    var spoolPath: String { directory.file("spool") }
    var bootIDPath: String { directory.file("boot_id") }

    /// Exec actions are looked up by command name in `plans`; ping/facts/metrics are allowed;
    /// anything else is denied, like a default policy.
    var authorizer: JobAuthorizer {
        let plans = self.plans
        return JobAuthorizer { spec in
            switch spec.action.kind {
            case .ping: return .allow(.ping)
            case .facts: return .allow(.facts)
            case .metrics: return .allow(.metrics)
            case .exec, .reboot, .service:
                if let plan = plans[spec.action.command] { return .allow(plan) }
                return .deny(code: "command_not_allowed", reason: "'\(spec.action.command)' is not allowed")
            default:
                return .deny(code: "unsupported", reason: "unsupported")
            }
        }
    }

    var toolkit: JobToolkit {
        let runner = CommandRunner(configuration: .init(killGrace: .milliseconds(300)), logger: Self.logger)
        let bootIDPath = self.bootIDPath
        return JobToolkit(
            runCommand: { spec, sink, started in try await runner.run(spec, sink: sink, started: started) },
            facts: { RuntimeSamples.facts },
            metrics: { throw AgentRuntimeError(.invalidArgument, "metrics unavailable in tests") },
            bootID: {
                String(decoding: try SecureFile.read(bootIDPath), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            })
    }

    func make(authorizer: JobAuthorizer? = nil) throws -> JobSupervisor {
        JobSupervisor(
            configuration: .init(
                maxConcurrentJobs: maxConcurrentJobs, rebootConfirmationTimeout: rebootConfirmationTimeout,
                spoolMaxBytes: spoolMaxBytes),
            spool: try ResultSpool(directory: spoolPath),
            replayCache: try PersistentReplayCache(path: directory.file("replay-cache")),
            verifier: try JobVerifier(publicKey: controller.publicKey, agentID: RuntimeFakeController.agentID),
            authorizer: authorizer ?? self.authorizer,
            toolkit: toolkit,
            logger: Self.logger)
    }

    /// A shell command as an exec plan.
    static func shell(_ script: String, timeout: Duration = .seconds(30), outputLimit: Int = 1 << 20) -> JobPlan {
        .exec(CommandSpec(executable: "/bin/sh", arguments: ["-c", script], timeout: timeout, outputLimit: outputLimit))
    }
}

enum RuntimeSamples {
    static let facts = HostFacts(
        hostname: "web-01", osName: "Debian GNU/Linux 12 (bookworm)", kernel: "6.1.0", architecture: "x86_64",
        cpuCount: 2, memoryBytes: 1 << 30, ipAddresses: ["10.0.0.5"], bootID: "boot-a", agentVersion: "0.1.0")
}
