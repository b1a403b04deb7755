import Foundation
import Hummingbird
import HummingbirdTesting
import StewardProtocol
import Testing
@testable import StewardController

@Suite("HTTP API authentication and health", .timeLimit(.minutes(1)))
struct APIAuthenticationTests {
    @Test func healthNeedsNoTokenAndCountsOnlineAgents() async throws {
        let api = try await APIHarness.make(agents: ["web-1", "web-2"], online: ["web-1"])
        defer { api.cleanUp() }
        let response = try await api.request(.get, "/healthz", authorization: nil)
        #expect(response.status == .ok)
        let health = try response.decode(API.Health.self)
        #expect(health.status == "ok")
        #expect(health.agentsOnline == 1)
        #expect(health.version == StewardVersion.current)
    }

    static let refused: [String?] = [
        nil,
        "",
        "Bearer",
        "Bearer ",
        "bearer \(APIHarness.adminToken)",
        "Basic YWRtaW46YWRtaW4=",
        "Bearer short",
        "Bearer stwa_wrong-token-0123456789",
        "Bearer \(APIHarness.adminToken)x",
        "Bearer " + String(repeating: "a", count: 257),
        "Bearer \(APIHarness.adminToken.dropLast())",
    ]

    @Test(arguments: refused)
    func refusesRequestsWithoutTheRightBearerToken(authorization: String?) async throws {
        let api = try await APIHarness.make(agents: ["web-1"])
        defer { api.cleanUp() }
        let response = try await api.request(.get, "/api/v1/agents", authorization: authorization)
        #expect(response.status == .unauthorized)
        #expect(response.headers[.wwwAuthenticate] == "Bearer")
        // HTTP drops a header value's trailing whitespace, so "Bearer " arrives as "Bearer": no token at all.
        let presented = authorization?.trimmingCharacters(in: .whitespaces).hasPrefix("Bearer ") == true
        #expect(response.errorMessage == (presented ? "invalid bearer token" : "missing bearer token"))
    }

    @Test func refusesWritesWithoutATokenBeforeLookingAtTheBody() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let response = try await api.request(
            .post, "/api/v1/jobs", authorization: nil, body: #"{"target":"all","action":["reboot"]}"#)
        #expect(response.status == .unauthorized)
        #expect(try await api.database.recentJobs(limit: 10).isEmpty)
    }

    @Test func acceptsTheAdminTokenAndRecordsItsUse() async throws {
        let api = try await APIHarness.make(agents: ["web-1"])
        defer { api.cleanUp() }
        let response = try await api.request(.get, "/api/v1/agents")
        #expect(response.status == .ok)
        // Surrounding whitespace is tolerated, as curl users paste tokens with a trailing space.
        #expect(try await api.request(.get, "/api/v1/agents", authorization: "Bearer \(APIHarness.adminToken)  ").status == .ok)
    }
}
