import Foundation
import Hummingbird
import HummingbirdTesting
import StewardProtocol
import Testing
@testable import StewardController

@Suite("HTTP API agents", .timeLimit(.minutes(1)))
struct APIAgentRouteTests {
    @Test func listsAgentsWithTheirStateAndLabels() async throws {
        let api = try await APIHarness.make(
            agents: ["web-1", "db-1", "old-1"], labels: ["web-1": ["role": "web"]], online: ["web-1"])
        defer { api.cleanUp() }
        _ = try await api.database.revokeAgent(named: "old-1", at: Date())

        let response = try await api.request(.get, "/api/v1/agents")
        #expect(response.status == .ok)
        let agents = try response.decode([API.Agent].self)
        #expect(agents.map(\.name) == ["db-1", "old-1", "web-1"])
        #expect(agents.map(\.state) == ["offline", "revoked", "online"])
        #expect(agents.map(\.id) == ["agent-db-1", "agent-old-1", "agent-web-1"])
        #expect(agents.last?.labels == ["role": "web"])
    }

    @Test func showsOneAgentByNameAndNotFoundForOthers() async throws {
        let api = try await APIHarness.make(agents: ["web-1"])
        defer { api.cleanUp() }
        let found = try await api.request(.get, "/api/v1/agents/web-1")
        #expect(found.status == .ok)
        #expect(try found.decode(API.Agent.self).id == "agent-web-1")

        let missing = try await api.request(.get, "/api/v1/agents/ghost")
        #expect(missing.status == .notFound)
        #expect(missing.errorMessage == "no agent named 'ghost'")
    }

    @Test func revokingDisconnectsTheAgentAndRevokingAnUnknownOneIsNotFound() async throws {
        let api = try await APIHarness.make(agents: ["web-1"])
        defer { api.cleanUp() }
        let session = await api.attach("web-1")

        let response = try await api.request(.post, "/api/v1/agents/web-1/revoke")
        #expect(response.status == .ok)
        #expect(try response.decode(API.Agent.self).state == "revoked")
        #expect(session.goAwayReasons == ["agent revoked"])
        #expect(await api.registry.isOnline("agent-web-1") == false)
        #expect(try await api.database.agent(id: "agent-web-1")?.status == .revoked)

        let again = try await api.request(.post, "/api/v1/agents/web-1/revoke")
        #expect(again.status == .ok)  // revoking twice is harmless

        let unknown = try await api.request(.post, "/api/v1/agents/ghost/revoke")
        #expect(unknown.status == .notFound)
    }

    @Test(arguments: ["0", "-1", "10001", "99999999999999999999999"])
    func historyLimitsOutsideTheRangeAreRefused(limit: String) async throws {
        let api = try await APIHarness.make(agents: ["web-1"])
        defer { api.cleanUp() }
        let response = try await api.request(.get, "/api/v1/agents/web-1/history?limit=\(limit)")
        if limit == "99999999999999999999999" {
            // Not an Int at all: treated as absent, the default page.
            #expect(response.status == .ok)
        } else {
            #expect(response.status == .badRequest)
            #expect(response.errorMessage == "limit must be 1...10000")
        }
    }

    @Test func historyPagesThroughTheAgentsJobsNewestFirst() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        var jobIDs: [String] = []
        for _ in 0..<3 {
            let job = try await api.dispatcher.submit(JobRequest(
                action: .ping, target: .names(["web-1"]), requestedBy: "alice", source: .api))
            jobIDs.append(job.id)
        }

        for limit in ["1", "10000"] {
            #expect(try await api.request(.get, "/api/v1/agents/web-1/history?limit=\(limit)").status == .ok)
        }
        let page = try await api.request(.get, "/api/v1/agents/web-1/history?limit=2").decode([API.HistoryEntry].self)
        #expect(page.map(\.jobID) == [jobIDs[2], jobIDs[1]])
        let next = try await api.request(.get, "/api/v1/agents/web-1/history?limit=2&before=\(jobIDs[1])")
            .decode([API.HistoryEntry].self)
        #expect(next.map(\.jobID) == [jobIDs[0]])
        #expect(try await api.request(.get, "/api/v1/agents/ghost/history").status == .notFound)
        #expect(try await api.request(.get, "/api/v1/agents/web-1/history?before=01NOSUCHJOB000000000000000").status == .notFound)
    }
}
