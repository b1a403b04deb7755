import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import HummingbirdWSTesting
import NIOWebSocket
import StewardProtocol
import Synchronization
import Testing
@testable import StewardController

/// `/api/v1/jobs/{id}/live` over a real socket: token-in-first-frame authentication, then pushed frames.
@Suite("Live job socket", .timeLimit(.minutes(1)))
struct JobLiveSocketTests {
    /// What the client saw: every text message in order, and the server's close frame.
    struct Session {
        var messages: [String]
        var close: WebSocketCloseFrame?

        var frames: [LiveFrame] {
            messages.compactMap { try? API.decoder().decode(LiveFrame.self, from: Data($0.utf8)) }
        }
    }

    /// Connects to a live server, sends `send` as text frames and collects what comes back until the close.
    private func session(_ api: APIHarness, path: String, send: [String], authTimeout: Duration = .seconds(5)) async throws -> Session {
        let socket = JobLiveSocket(database: api.database, authTimeout: authTimeout, pollInterval: .milliseconds(20))
        let app = Application(router: api.router(), server: socket.serverBuilder(), logger: APIHarness.quietLogger)
        let received = Mutex<[String]>([])
        let close = try await app.test(.live) { client in
            try await client.ws(path, logger: APIHarness.quietLogger) { inbound, outbound, _ in
                for text in send { try await outbound.write(.text(text)) }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { received.withLock { $0.append(text) } }
                }
            }
        }
        return Session(messages: received.withLock { $0 }, close: close)
    }

    /// A job on web-1 that wrote two chunks and then succeeded.
    private func finishedJob(_ api: APIHarness) async throws -> API.Job {
        let body = try APIHarness.json(API.SubmitJob(target: "web-1", action: ["exec", "report"]))
        let job = try await api.request(.post, "/api/v1/jobs", body: body).decode(API.Job.self)
        for (offset, text) in [(UInt64(0), "hello "), (6, "world")] {
            _ = try await api.dispatcher.handle(DispatcherHarness.output(jobID: job.id, offset: offset, text), from: "agent-web-1")
        }
        _ = try await api.dispatcher.handle(
            .jobResult(DispatcherHarness.result(jobID: job.id, status: .succeeded)), from: "agent-web-1")
        return job
    }

    private static var token: String { #"{"token":"\#(APIHarness.adminToken)"}"# }

    @Test func aValidTokenGetsTheJobItsOutputAndDone() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let job = try await finishedJob(api)

        let session = try await session(api, path: "/api/v1/jobs/\(job.id)/live", send: [Self.token])
        let frames = session.frames
        #expect(frames.count == session.messages.count, "every message is a live frame")
        #expect(frames.first?.type == "job")
        #expect(frames.first?.job?.id == job.id)
        #expect(frames.first?.job?.runs.map(\.status) == ["succeeded"])
        let output = frames.filter { $0.type == "output" }.flatMap { $0.chunks ?? [] }
        #expect(output.map { String(decoding: $0.data, as: UTF8.self) }.joined() == "hello world")
        #expect(output.map(\.offset) == [0, 6])
        #expect(output.allSatisfy { $0.agentID == "agent-web-1" && $0.stream == "stdout" })
        #expect(frames.last?.type == "done")
        #expect(frames.filter { $0.type == "done" }.count == 1)
        #expect(session.close?.closeCode == .normalClosure)
    }

    @Test func aRunningJobStreamsOutputAsItLandsAndEndsWhenTheRunFinishes() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let body = try APIHarness.json(API.SubmitJob(target: "web-1", action: ["exec", "report"]))
        let job = try await api.request(.post, "/api/v1/jobs", body: body).decode(API.Job.self)
        // Generous delays: the socket must be open and past its first frame before anything lands, even on a loaded machine.
        let writer = Task {
            try await Task.sleep(for: .milliseconds(1500))
            _ = try await api.dispatcher.handle(DispatcherHarness.output(jobID: job.id, offset: 0, "late"), from: "agent-web-1")
            try await Task.sleep(for: .milliseconds(500))
            _ = try await api.dispatcher.handle(
                .jobResult(DispatcherHarness.result(jobID: job.id, status: .failed, exitCode: 3)), from: "agent-web-1")
        }
        let session = try await session(api, path: "/api/v1/jobs/\(job.id)/live", send: [Self.token])
        try await writer.value
        let jobs = session.frames.compactMap(\.job)
        #expect(jobs.first?.runs.first?.final == false)
        #expect(jobs.last?.runs.first?.status == "failed")
        #expect(session.frames.flatMap { $0.chunks ?? [] }.map { String(decoding: $0.data, as: UTF8.self) } == ["late"])
        #expect(session.frames.last?.type == "done")
    }

    @Test(arguments: [
        #"{"token":"stwa_not-the-admin-token-000000"}"#, #"{"token":""}"#, "not json", #"{"tok":"x"}"#,
        "Bearer " + APIHarness.adminToken,
    ])
    func aBadFirstFrameIsClosedWithoutData(first: String) async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let job = try await finishedJob(api)
        let session = try await session(api, path: "/api/v1/jobs/\(job.id)/live", send: [first, Self.token])
        #expect(session.messages.isEmpty)
        #expect(session.close?.closeCode == .policyViolation)
    }

    @Test func silenceIsClosedAfterTheAuthenticationTimeout() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let job = try await finishedJob(api)
        let started = ContinuousClock.now
        let session = try await session(api, path: "/api/v1/jobs/\(job.id)/live", send: [], authTimeout: .milliseconds(200))
        #expect(session.messages.isEmpty)
        #expect(session.close?.closeCode == .policyViolation)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test(arguments: ["01NOSUCHJOB000000000000000", "abc", "01ABCDEFGH%27%3B"])
    func anUnknownOrMalformedJobGetsAnErrorFrameAndClose(id: String) async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        let session = try await session(api, path: "/api/v1/jobs/\(id)/live", send: [Self.token])
        #expect(session.frames.map(\.type) == ["error"])
        #expect(session.frames.first?.message?.isEmpty == false)
        #expect(session.close?.closeCode == .policyViolation)
    }

    @Test func onlyTheLivePathUpgrades() {
        #expect(JobLiveSocket.jobID(path: "/api/v1/jobs/01ABC123/live") == "01ABC123")
        #expect(JobLiveSocket.jobID(path: "/api/v1/jobs/01ABC123/live?token=x") == "01ABC123")
        #expect(JobLiveSocket.jobID(path: "/api/v1/jobs/01ABC123/output") == nil)
        #expect(JobLiveSocket.jobID(path: "/api/v1/jobs//live") == nil)
        #expect(JobLiveSocket.jobID(path: "/api/v1/jobs/a/b/live") == nil)
        #expect(JobLiveSocket.jobID(path: "/api/v1/jobs/" + String(repeating: "A", count: 65) + "/live") == nil)
        #expect(JobLiveSocket.jobID(path: nil) == nil)
    }
}
