import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import StewardProtocol
import Testing
@testable import StewardController

@Suite("HTTP API join tokens", .timeLimit(.minutes(1)))
struct APITokenRouteTests {
    private func create(_ api: APIHarness, _ body: API.CreateToken) async throws -> TestResponse {
        try await api.request(.post, "/api/v1/tokens", body: try APIHarness.json(body))
    }

    @Test func createsATokenThatPinsTheCAAndPointsAtTheAdvertisedAddress() async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        let before = Date()
        let response = try await create(api, API.CreateToken(labels: ["role": "web"], ttlSeconds: 3_600, uses: 5))
        #expect(response.status == .ok)
        let created = try response.decode(API.CreatedToken.self)

        let token = try JoinToken(parsing: created.token)
        #expect(token.controller == APIHarness.advertised)
        #expect(token.caFingerprint == api.authority.caFingerprint)
        #expect(token.caFingerprint == Array(SHA256.hash(data: api.authority.caCertificateDER)))
        #expect(created.command == "steward-agent enroll --token \(created.token)")
        #expect(created.uses == 5)
        #expect(created.labels == ["role": "web"])
        #expect(created.expiresAt.timeIntervalSince(before) > 3_598)
        #expect(created.expiresAt.timeIntervalSince(Date()) <= 3_600)

        // Only the hash of the secret is stored, with the request's figures and the token's name.
        let stored = try await api.database.enrollmentTokens()
        #expect(stored.count == 1)
        #expect(stored.first?.secretHash == Data(token.secretHash))
        #expect(stored.first?.maxUses == 5)
        #expect(stored.first?.labels == ["role": "web"])
        #expect(stored.first?.createdBy == "admin")
    }

    @Test func everyTokenHasItsOwnSecret() async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        let body = API.CreateToken(labels: [:], ttlSeconds: 60, uses: 1)
        let first = try await create(api, body).decode(API.CreatedToken.self)
        let second = try await create(api, body).decode(API.CreatedToken.self)
        #expect(try JoinToken(parsing: first.token).secret != JoinToken(parsing: second.token).secret)
    }

    static let manyLabels = Dictionary(uniqueKeysWithValues: (0..<33).map { ("k\($0)", "v") })

    static let refused: [(API.CreateToken, String)] = [
        (API.CreateToken(labels: [:], ttlSeconds: 59, uses: 1), "ttl must be between 1 minute and 30 days"),
        (API.CreateToken(labels: [:], ttlSeconds: 30 * 86_400 + 1, uses: 1), "ttl must be between 1 minute and 30 days"),
        (API.CreateToken(labels: [:], ttlSeconds: -60, uses: 1), "ttl must be between 1 minute and 30 days"),
        (API.CreateToken(labels: [:], ttlSeconds: 60, uses: 0), "uses must be between 1 and 10000"),
        (API.CreateToken(labels: [:], ttlSeconds: 60, uses: 10_001), "uses must be between 1 and 10000"),
        (API.CreateToken(labels: [:], ttlSeconds: 60, uses: Int.min), "uses must be between 1 and 10000"),
        (API.CreateToken(labels: manyLabels, ttlSeconds: 60, uses: 1), "at most 32 labels"),
        (API.CreateToken(labels: ["ro le": "web"], ttlSeconds: 60, uses: 1), "bad label 'ro le=web'"),
        (API.CreateToken(labels: ["role": "$(id)"], ttlSeconds: 60, uses: 1), "bad label 'role=$(id)'"),
        (API.CreateToken(labels: ["role": ""], ttlSeconds: 60, uses: 1), "bad label 'role='"),
        (API.CreateToken(labels: ["": "web"], ttlSeconds: 60, uses: 1), "bad label '=web'"),
    ]

    @Test(arguments: refused)
    func refusesTokensOutsideTheBounds(body: API.CreateToken, reason: String) async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        let response = try await create(api, body)
        #expect(response.status == .badRequest)
        #expect(response.errorMessage?.hasPrefix(reason) == true, "\(response.errorMessage ?? "no message")")
        #expect(try await api.database.enrollmentTokens().isEmpty)
    }

    @Test func acceptsTheBoundaryValues() async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        let labels = Dictionary(uniqueKeysWithValues: (0..<32).map { ("k\($0)", "v.\($0)_x-y") })
        for body in [
            API.CreateToken(labels: labels, ttlSeconds: 60, uses: 10_000),
            API.CreateToken(labels: [:], ttlSeconds: 30 * 86_400, uses: 1),
        ] {
            #expect(try await create(api, body).status == .ok)
        }
    }

    @Test(arguments: [
        #"{"labels":{},"uses":1}"#,
        #"{"labels":{},"ttl_seconds":"60","uses":1}"#,
        #"{"labels":[],"ttl_seconds":60,"uses":1}"#,
        #"{"labels":{"a":1},"ttl_seconds":60,"uses":1}"#,
    ])
    func refusesMalformedTokenRequests(body: String) async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        #expect(try await api.request(.post, "/api/v1/tokens", body: body).status == .badRequest)
    }
}
