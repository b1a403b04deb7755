import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import StewardController

/// `GET /metrics`: Prometheus text for any valid API token, 401 for everyone else, and the API's own refusals counted.
@Suite("Metrics endpoint", .timeLimit(.minutes(1)))
struct MetricsEndpointTests {
    /// The emitted text, scraped with the admin token.
    static func scrape(_ api: APIHarness) async throws -> String {
        let response = try await api.request(.get, "/metrics")
        #expect(response.status == .ok)
        return String(buffer: response.body)
    }

    @Test(arguments: [nil, "Bearer stwa_wrong-token-0123456789", "Basic YWRtaW46YWRtaW4="] as [String?])
    func refusesAScrapeWithoutAValidToken(authorization: String?) async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        let response = try await api.request(.get, "/metrics", authorization: authorization)
        #expect(response.status == .unauthorized)
        #expect(response.headers[.wwwAuthenticate] == "Bearer")
        #expect(!String(buffer: response.body).contains("steward_"), "no metric leaks in a refusal")
    }

    @Test func servesPrometheusTextToTheAdminToken() async throws {
        let api = try await APIHarness.make(agents: ["web-1", "web-2"], online: ["web-1"])
        defer { api.cleanUp() }
        let response = try await api.request(.get, "/metrics")
        #expect(response.status == .ok)
        #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = String(buffer: response.body)
        #expect(text.contains("# TYPE steward_agents_online gauge"), "\(text)")
        #expect(PrometheusSamples.value(in: text, "steward_agents_online") == 1)
        #expect(text.contains("# TYPE steward_agent_connections_total counter"))
    }

    @Test func anyRoleMayScrape() async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        let token = "stwu_metrics-reader-0123456789"
        try await api.database.insertAPIToken(APITokenRecord(
            id: StewardID.make(now: Date()), name: "prometheus", tokenHash: Data(SHA256.hash(data: Data(token.utf8))),
            role: "user", createdAt: Date()))
        let response = try await api.request(.get, "/metrics", authorization: "Bearer \(token)")
        #expect(response.status == .ok)
    }

    @Test func aBadBearerTokenCountsExactlyOneRejection() async throws {
        let api = try await APIHarness.make(agents: ["web-1"])
        defer { api.cleanUp() }
        let before = PrometheusSamples.rejections(in: try await Self.scrape(api), .api, .badToken)
        let refused = try await api.request(.get, "/api/v1/agents", authorization: "Bearer stwa_wrong-token-0123456789")
        #expect(refused.status == .unauthorized)
        let after = PrometheusSamples.rejections(in: try await Self.scrape(api), .api, .badToken)
        #expect(after - before == 1)
    }

    @Test func aMissingTokenIsCountedApartFromABadOne() async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        #expect(try await api.request(.post, "/api/v1/jobs", authorization: nil, body: "{}").status == .unauthorized)
        let text = try await Self.scrape(api)
        #expect(PrometheusSamples.rejections(in: text, .api, .missingToken) == 1)
        #expect(PrometheusSamples.rejections(in: text, .api, .badToken) == 0)
    }
}
