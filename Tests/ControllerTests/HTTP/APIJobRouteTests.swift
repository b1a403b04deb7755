import Foundation
import Hummingbird
import HummingbirdTesting
import StewardProtocol
import Testing
@testable import StewardController

@Suite("HTTP API jobs", .timeLimit(.minutes(1)))
struct APIJobRouteTests {
    private func submit(_ api: APIHarness, _ body: API.SubmitJob) async throws -> TestResponse {
        try await api.request(.post, "/api/v1/jobs", body: try APIHarness.json(body))
    }

    @Test func submitsAJobAndAnswersWithItsRuns() async throws {
        let api = try await APIHarness.make(agents: ["web-1", "web-2", "db-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let response = try await submit(api, API.SubmitJob(target: "web-*", action: ["service", "restart", "nginx"], onBehalfOf: "alice"))
        #expect(response.status == .ok)
        let job = try response.decode(API.Job.self)
        #expect(job.command == "service restart nginx")
        #expect(job.target == "web-*")
        #expect(job.requestedBy == "admin:alice")
        #expect(job.source == "api")
        #expect(job.status == "running")
        #expect(job.runs.map(\.agentName) == ["web-1", "web-2"])
        #expect(job.runs.map(\.status) == ["offered", "queued"])
        #expect(job.runs.allSatisfy { !$0.final })

        let stored = try await api.database.job(id: job.id)
        #expect(stored.requestedBy == "admin:alice")
        #expect(stored.source == .api)
    }

    @Test func passesBatchTimeoutAndDeliveryThrough() async throws {
        let api = try await APIHarness.make(agents: ["a", "b", "c", "d"], online: ["a", "b", "c", "d"])
        defer { api.cleanUp() }
        let response = try await submit(api, API.SubmitJob(
            target: "all", action: ["ping"], batch: "50%", maxErrors: "1", timeoutSeconds: 30, deliverySeconds: 90, source: "cli"))
        let job = try response.decode(API.Job.self)
        #expect(job.runs.filter { $0.status == "offered" }.count == 2)
        let stored = try await api.database.job(id: job.id)
        #expect(stored.batchSize == 2)
        #expect(stored.maxErrors == 1)
        #expect(stored.timeoutMs == 30_000)
        #expect(stored.deliveryDeadline.timeIntervalSince(stored.createdAt) == 90)
        #expect(stored.source == .cli)
    }

    static let refused: [(API.SubmitJob, String)] = [
        (API.SubmitJob(target: "all", action: ["shell", "id"]), "unknown action 'shell'"),
        (API.SubmitJob(target: "all", action: []), "missing action"),
        (API.SubmitJob(target: "all", action: ["service", "restart"]), "usage: service"),
        (API.SubmitJob(target: "../x", action: ["ping"]), "bad target '../x'"),
        (API.SubmitJob(target: "$(id)", action: ["ping"]), "bad target"),
        (API.SubmitJob(target: "", action: ["ping"]), "empty target selector"),
        (API.SubmitJob(target: "a,,b", action: ["ping"]), "empty element"),
        (API.SubmitJob(target: "nomatch", action: ["ping"]), "no enrolled agent matches 'nomatch'"),
        (API.SubmitJob(target: "role=db", action: ["ping"]), "no enrolled agent matches 'role=db'"),
        (API.SubmitJob(target: "all", action: ["ping"], batch: "0%"), "'0%' is not a percentage"),
        (API.SubmitJob(target: "all", action: ["ping"], maxErrors: "-1"), "'-1' is not a count"),
        (API.SubmitJob(target: "all", action: ["ping"], timeoutSeconds: 0), "timeout must be between 1 s and 24 h"),
        (API.SubmitJob(target: "all", action: ["ping"], timeoutSeconds: 86_401), "timeout must be between 1 s and 24 h"),
        (API.SubmitJob(target: "all", action: ["ping"], deliverySeconds: 7 * 86_400 + 1), "delivery window must be between 1 s and 7 days"),
        (API.SubmitJob(target: "all", action: ["ping"], source: "chat"), "unknown source 'chat'"),
        (API.SubmitJob(target: "all", action: ["ping"], source: "evil"), "unknown source 'evil'"),
    ]

    @Test(arguments: refused)
    func refusesBadSubmissionsWithAClearMessage(body: API.SubmitJob, message: String) async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let response = try await submit(api, body)
        #expect(response.status == .badRequest)
        #expect(response.errorMessage?.hasPrefix(message) == true, "\(response.errorMessage ?? "no message")")
        #expect(try await api.database.recentJobs(limit: 10).isEmpty)
    }

    @Test func showsAJobByIdOrCaseInsensitivePrefix() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let submitted = try await submit(api, API.SubmitJob(target: "web-1", action: ["ping"])).decode(API.Job.self)

        let full = try await api.request(.get, "/api/v1/jobs/\(submitted.id)")
        #expect(full.status == .ok)
        #expect(try full.decode(API.Job.self) == submitted)
        let prefix = try await api.request(.get, "/api/v1/jobs/\(submitted.id.prefix(12).lowercased())")
        #expect(try prefix.decode(API.Job.self).id == submitted.id)
    }

    static let badIDs = ["..%2Fetc", "..%2F..%2Fetc%2Fpasswd", "abc", "ABCDE", "01ABCDEFGH-", "01ABCDEF%20", "01ABCDEFGH%27%3B", String(repeating: "A", count: 27), "%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"]

    @Test(arguments: badIDs)
    func refusesWhatIsNotAJobID(id: String) async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        for path in ["/api/v1/jobs/\(id)", "/api/v1/jobs/\(id)/output"] {
            let response = try await api.request(.get, path)
            #expect(response.status == .badRequest, "\(path)")
            #expect(response.errorMessage?.hasSuffix("is not a job id") == true, "\(path)")
        }
    }

    @Test func anUnknownJobIsNotFound() async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        for path in ["/api/v1/jobs/01NOSUCHJOB000000000000000", "/api/v1/jobs/01NOSUCHJOB", "/api/v1/jobs/01NOSUCHJOB000000000000000/output"] {
            #expect(try await api.request(.get, path).status == .notFound, "\(path)")
        }
        #expect(try await api.request(.post, "/api/v1/jobs/01NOSUCHJOB000000000000000/cancel").status == .notFound)
    }

    @Test func pagesThroughStoredOutput() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let job = try await submit(api, API.SubmitJob(target: "web-1", action: ["exec", "report"])).decode(API.Job.self)
        for (offset, text) in [(UInt64(0), "one "), (4, "two "), (8, "three")] {
            _ = try await api.dispatcher.handle(DispatcherHarness.output(jobID: job.id, offset: offset, text), from: "agent-web-1")
        }

        let first = try await api.request(.get, "/api/v1/jobs/\(job.id)/output?limit=2").decode(API.OutputPage.self)
        #expect(first.chunks.map { String(decoding: $0.data, as: UTF8.self) } == ["one ", "two "])
        #expect(first.chunks.allSatisfy { $0.agentID == "agent-web-1" && $0.stream == "stdout" })
        let rest = try await api.request(.get, "/api/v1/jobs/\(job.id)/output?after=\(first.next)").decode(API.OutputPage.self)
        #expect(rest.chunks.map(\.offset) == [8])
        let end = try await api.request(.get, "/api/v1/jobs/\(job.id)/output?after=\(rest.next)").decode(API.OutputPage.self)
        #expect(end.chunks.isEmpty)
        #expect(end.next == rest.next)
    }

    @Test func cancelEndsQueuedRunsAndTellsConnectedAgents() async throws {
        let api = try await APIHarness.make(agents: ["web-1", "db-1"])
        defer { api.cleanUp() }
        let session = await api.attach("web-1")
        let job = try await submit(api, API.SubmitJob(target: "all", action: ["ping"])).decode(API.Job.self)

        let response = try await api.request(.post, "/api/v1/jobs/\(job.id)/cancel")
        #expect(response.status == .ok)
        let cancelled = try response.decode(API.Job.self)
        #expect(cancelled.runs.first { $0.agentName == "db-1" }?.status == "cancelled")
        #expect(cancelled.runs.first { $0.agentName == "web-1" }?.status == "offered")
        #expect(session.cancelledJobIDs == [job.id])
    }

    @Test func waitHoldsTheAnswerUntilTheJobIsOver() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let job = try await submit(api, API.SubmitJob(target: "all", action: ["ping"])).decode(API.Job.self)
        let waiting = Task { try await api.request(.get, "/api/v1/jobs/\(job.id)?wait=20") }
        try await Task.sleep(for: .milliseconds(100))
        _ = try await api.dispatcher.handle(
            .jobResult(DispatcherHarness.result(jobID: job.id, status: .succeeded)), from: "agent-web-1")
        let response = try await waiting.value
        #expect(response.status == .ok)
        let done = try response.decode(API.Job.self)
        #expect(done.status == "finished")
        #expect(done.runs.map(\.status) == ["succeeded"])

        // A job still running comes back when the wait runs out, as it stands.
        let running = try await submit(api, API.SubmitJob(target: "all", action: ["ping"])).decode(API.Job.self)
        let timedOut = try await api.request(.get, "/api/v1/jobs/\(running.id)?wait=0.2")
        #expect(timedOut.status == .ok)
        #expect(try timedOut.decode(API.Job.self).status == "running")
    }

    @Test(arguments: ["abc", "-1", "301", "nan", "inf", ""])
    func aBadWaitIsRefused(wait: String) async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let job = try await submit(api, API.SubmitJob(target: "all", action: ["ping"])).decode(API.Job.self)
        let response = try await api.request(.get, "/api/v1/jobs/\(job.id)?wait=\(wait)")
        #expect(response.status == .badRequest)
        #expect(String(buffer: response.body).contains("wait must be a number of seconds from 0 to 300"))
    }
}
