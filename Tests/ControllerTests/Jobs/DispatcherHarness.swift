import Crypto
import Foundation
import Logging
import StewardProtocol
import Synchronization
@testable import StewardController

/// A clock that only moves when a test moves it.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    var milliseconds: Int64 { Int64((now.timeIntervalSince1970 * 1000).rounded()) }

    func advance(seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A fake agent session: records every command the registry hands it instead of writing to a socket.
final class RecordingSession: Sendable {
    let agentID: String
    private let commands = Mutex<[SessionCommand]>([])

    init(agentID: String) {
        self.agentID = agentID
    }

    func handle(sessionID: UInt64) -> AgentSessionHandle {
        AgentSessionHandle(sessionID: sessionID, agentID: agentID) { [self] command in
            commands.withLock { $0.append(command) }
            return true
        }
    }

    var messages: [StewardMessage] {
        commands.withLock { commands in
            commands.compactMap { if case .send(let message) = $0 { message } else { nil } }
        }
    }

    var goAwayReasons: [String] {
        commands.withLock { commands in
            commands.compactMap { if case .goAway(let reason, _) = $0 { reason } else { nil } }
        }
    }

    var offers: [Wire.JobOffer] {
        messages.compactMap { if case .jobOffer(let offer) = $0 { offer } else { nil } }
    }

    var cancelledJobIDs: [String] {
        messages.compactMap { if case .cancel(let cancel) = $0 { cancel.jobID } else { nil } }
    }
}

/// A dispatcher over an in-memory store and a real registry whose sessions are `RecordingSession`s.
struct DispatcherHarness {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    let database: StewardDatabase
    let registry: AgentRegistry
    let dispatcher: Dispatcher
    let signer: JobSigner
    let clock: ManualClock

    /// Enrolls one active agent per name (id `agent-NAME`), none of them connected yet.
    init(
        agents: [String], labels: [String: [String: String]] = [:], resultGrace: Duration = .seconds(600),
        limits: ControllerLimits = .default
    ) async throws {
        database = try StewardDatabase.inMemory()
        registry = AgentRegistry()
        signer = JobSigner(key: Curve25519.Signing.PrivateKey())
        let clock = ManualClock(Self.t0)
        self.clock = clock
        dispatcher = Dispatcher(
            database: database, registry: registry, signer: signer, resultGrace: resultGrace, limits: limits,
            logger: Logger(label: "test.dispatcher", factory: { _ in SwiftLogNoOpLogHandler() }),
            now: { clock.now })
        for name in agents {
            try await database.insertAgent(AgentRecord(
                id: Self.id(name), name: name, labels: labels[name] ?? [:], enrolledAt: Self.t0.addingTimeInterval(-86_400)))
        }
    }

    static func id(_ name: String) -> String { "agent-\(name)" }

    /// Registers a session for the agent, as the gateway does after authorizing it (no Hello processing).
    @discardableResult
    func attach(_ name: String) async -> RecordingSession {
        let session = RecordingSession(agentID: Self.id(name))
        await registry.register(session.handle(sessionID: await registry.makeSessionID()))
        return session
    }

    /// Registers a session and reports the handshake to the dispatcher, as the gateway does.
    @discardableResult
    func connect(_ name: String, active: [String] = [], spooled: [String] = []) async throws -> RecordingSession {
        let session = await attach(name)
        var hello = Wire.Hello()
        hello.activeJobIds = active
        hello.spooledJobIds = spooled
        try await dispatcher.agentConnected(agentID: Self.id(name), hello: hello)
        return session
    }

    func disconnect(_ name: String) async {
        await registry.disconnect(Self.id(name), reason: "test")
    }

    func submit(
        _ words: [String] = ["ping"], target: String = "all", batch: BatchSize? = nil, maxErrors: BatchSize? = nil,
        timeout: Duration = .seconds(60), deliveryWindow: Duration = .seconds(600)
    ) async throws -> JobRecord {
        try await dispatcher.submit(JobRequest(
            action: try JobAction(words: words), target: try TargetSelector(parsing: target), requestedBy: "alice",
            source: .api, batch: batch, maxErrors: maxErrors, timeout: timeout, deliveryWindow: deliveryWindow))
    }

    func status(_ job: JobRecord, _ name: String) async throws -> RunStatus? {
        try await database.run(jobID: job.id, agentID: Self.id(name))?.status
    }

    func statuses(_ job: JobRecord) async throws -> [String: RunStatus] {
        Dictionary(uniqueKeysWithValues: try await database.runs(jobID: job.id).map { ($0.agentID, $0.status) })
    }

    /// Sends a message as the agent would and returns the dispatcher's replies.
    @discardableResult
    func send(_ message: StewardMessage, from name: String) async throws -> [StewardMessage] {
        try await dispatcher.handle(message, from: Self.id(name))
    }

    func accept(_ job: JobRecord, by name: String, startedMs: Int64 = 0) async throws {
        var accepted = Wire.JobAccepted()
        accepted.jobID = job.id
        accepted.startedMs = startedMs
        try await send(.jobAccepted(accepted), from: name)
    }

    @discardableResult
    func finish(_ job: JobRecord, by name: String, status: Wire.JobStatus = .succeeded, exitCode: Int32 = 0) async throws -> [StewardMessage] {
        try await send(.jobResult(Self.result(jobID: job.id, status: status, exitCode: exitCode)), from: name)
    }

    static func result(jobID: String, status: Wire.JobStatus, exitCode: Int32 = 0, error: String = "") -> Wire.JobResult {
        var result = Wire.JobResult()
        result.jobID = jobID
        result.status = status
        result.exited = true
        result.exitCode = exitCode
        result.startedMs = 1_700_000_000_000
        result.finishedMs = 1_700_000_001_000
        result.error = error
        return result
    }

    static func output(jobID: String, stream: Wire.OutputStream = .stdout, offset: UInt64, _ text: String) -> StewardMessage {
        var output = Wire.Output()
        output.jobID = jobID
        output.stream = stream
        output.offset = offset
        output.data = Data(text.utf8)
        return .output(output)
    }

    /// Verifies an offer as the agent would, with the signer's public key and the agent's own id.
    func verify(_ offer: Wire.JobOffer, as name: String) throws -> Wire.JobSpec {
        var cache = ReplayCache()
        return try JobVerifier(publicKey: signer.publicKey, agentID: Self.id(name), allowedSkewMilliseconds: 0)
            .verify(offer, nowMilliseconds: clock.milliseconds, replayCache: &cache)
    }
}
