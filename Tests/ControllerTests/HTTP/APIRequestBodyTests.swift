import Foundation
import Hummingbird
import HummingbirdTesting
import StewardProtocol
import Testing
@testable import StewardController

@Suite("HTTP API request bodies", .timeLimit(.minutes(1)))
struct APIRequestBodyTests {
    static let malformed = [
        "",
        "{",
        "not json",
        "[]",
        "null",
        #"{"target":"all"}"#,
        #"{"target":"all","action":"ping"}"#,
        #"{"target":7,"action":["ping"]}"#,
        #"{"target":"all","action":["ping"],"timeout_seconds":"30"}"#,
        #"{"target":"all","action":["ping"],"timeout_seconds":1e99}"#,
    ]

    @Test(arguments: malformed)
    func malformedJSONIsABadRequest(body: String) async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let response = try await api.request(.post, "/api/v1/jobs", body: body)
        #expect(response.status == .badRequest)
        #expect(try await api.database.recentJobs(limit: 10).isEmpty)
    }

    @Test func aBodyOverSixtyFourKilobytesIsRefused() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let padding = String(repeating: "a", count: 64 * 1024)
        let body = #"{"target":"all","action":["exec","x","\#(padding)"]}"#
        let response = try await api.request(.post, "/api/v1/jobs", body: body)
        #expect(response.status == .contentTooLarge)
        #expect(try await api.database.recentJobs(limit: 10).isEmpty)

        let tokens = try await api.request(.post, "/api/v1/tokens", bytes: Array(repeating: UInt8(ascii: " "), count: 64 * 1024 + 1))
        #expect(tokens.status == .contentTooLarge)
    }

    @Test func aBodyJustUnderTheLimitIsRead() async throws {
        let api = try await APIHarness.make(agents: ["web-1"], online: ["web-1"])
        defer { api.cleanUp() }
        let prefix = #"{"target":"all","action":["exec","x",""#
        let suffix = #""]}"#
        let padding = String(repeating: "a", count: 64 * 1024 - prefix.utf8.count - suffix.utf8.count)
        let response = try await api.request(.post, "/api/v1/jobs", body: prefix + padding + suffix)
        #expect(response.status == .ok)
    }
}
