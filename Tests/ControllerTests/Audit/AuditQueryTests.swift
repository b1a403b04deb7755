import Foundation
import Testing
@testable import StewardController

@Suite("Audit queries", .timeLimit(.minutes(1)))
struct AuditQueryTests {
    /// Events 1...60: actor slack:U(n % 3), host web-(n % 4), job JOB(n % 5), at t0 + n seconds.
    static func populated() async throws -> AuditLog {
        let (log, _) = try AuditFixture.log()
        try await AuditFixture.append(60, to: log)
        return log
    }

    @Test func returnsNewestFirstWithinTheLimit() async throws {
        let log = try await Self.populated()
        #expect(try await log.events(limit: 5).map(\.seq) == [60, 59, 58, 57, 56])
        #expect(try await log.events(limit: 0).map(\.seq) == [60])
        #expect(try await log.events(limit: 1_000).count == 60)
    }

    @Test func pagesBackwardsWithTheBeforeCursor() async throws {
        let log = try await Self.populated()
        let first = try await log.events(limit: 25)
        let second = try await log.events(limit: 25, before: try #require(first.last).seq)
        let third = try await log.events(limit: 25, before: try #require(second.last).seq)
        #expect((first + second + third).map(\.seq) == Array((1...60).reversed()))
        #expect(third.count == 10)
        #expect(try await log.events(before: 1).isEmpty)
    }

    @Test func filtersByActorHostJobAndTime() async throws {
        let log = try await Self.populated()
        let byActor = try await log.events(actor: "slack:U1")
        #expect(byActor.map(\.seq) == stride(from: 58, through: 1, by: -3).map(Int64.init))
        let byHost = try await log.events(host: "web-2")
        #expect(byHost.map(\.seq) == stride(from: 58, through: 2, by: -4).map(Int64.init))
        let byJob = try await log.events(jobID: "JOB0")
        #expect(byJob.map(\.seq) == stride(from: 60, through: 5, by: -5).map(Int64.init))
        let recent = try await log.events(since: AuditFixture.t0.addingTimeInterval(55))
        #expect(recent.map(\.seq) == [60, 59, 58, 57, 56, 55])
    }

    @Test func combinesFiltersAsAnd() async throws {
        let log = try await Self.populated()
        // Actor U1 (n % 3 == 1) and host web-2 (n % 4 == 2): n % 12 == 10.
        let both = try await log.events(
            since: AuditFixture.t0.addingTimeInterval(20), actor: "slack:U1", host: "web-2")
        #expect(both.map(\.seq) == [58, 46, 34, 22])
        #expect(try await log.events(actor: "slack:U1", host: "web-2", jobID: "JOB3").map(\.seq) == [58])
    }

    @Test func matchesFiltersExactlyNotAsPatterns() async throws {
        let log = try await Self.populated()
        #expect(try await log.events(actor: "slack:U%").isEmpty)
        #expect(try await log.events(host: "web-").isEmpty)
        #expect(try await log.events(jobID: "'; DROP TABLE audit_events; --").isEmpty)
        #expect(try await log.verify() == .intact(count: 60))
    }
}
