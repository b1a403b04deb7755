import Foundation
import GRDB
import Testing
@testable import StewardController

@Suite("Audit concurrency and files", .timeLimit(.minutes(2)))
struct AuditConcurrencyTests {
    @Test func twentyConcurrentAppendersStillFormOneChain() async throws {
        let (log, _) = try AuditFixture.log()
        try await Self.appendConcurrently(tasks: 20, each: 10) { _ in log }
        let records = try await log.events(limit: 1_000)
        #expect(records.count == 200)
        #expect(records.map(\.seq) == Array((1...200).reversed()))
        #expect(Set(records.map(\.summary)).count == 200)
        #expect(try await log.verify() == .intact(count: 200))
    }

    @Test func keepsTheChainInAFileAcrossReopening() async throws {
        let folder = try AuditFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("steward.sqlite").path
        let head: AuditHead?
        do {
            let log = AuditLog(database: try StewardDatabase.open(path: path))
            try await AuditFixture.append(300, to: log)
            head = try await log.head()
        }
        let reopened = AuditLog(database: try StewardDatabase.open(path: path))
        #expect(try await reopened.head() == head)
        #expect(try await reopened.verify() == .intact(count: 300))
        #expect(try await reopened.append(AuditFixture.event(301)).seq == 301)
        #expect(try await reopened.verify() == .intact(count: 301))
    }

    @Test func twoConnectionsToOneFileAppendingAtOnceStillFormOneChain() async throws {
        let folder = try AuditFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("steward.sqlite").path
        // Like the controller and a CLI admin command writing to the same file.
        let logs = [AuditLog(database: try StewardDatabase.open(path: path)),
                    AuditLog(database: try StewardDatabase.open(path: path))]
        try await Self.appendConcurrently(tasks: 20, each: 5) { task in logs[task % 2] }
        #expect(try await logs[0].verify() == .intact(count: 100))
        #expect(try await logs[1].head()?.seq == 100)
    }

    @Test func tamperingWithAFileIsCaughtAfterReopening() async throws {
        let folder = try AuditFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("steward.sqlite").path
        do {
            let database = try StewardDatabase.open(path: path)
            try await AuditFixture.append(50, to: AuditLog(database: database))
            try await AuditFixture.tamper(database, "DELETE FROM audit_events WHERE seq = 25")
        }
        let reopened = AuditLog(database: try StewardDatabase.open(path: path))
        #expect(try await reopened.verify() == .broken(at: 25, reason: .rowMissing))
    }

    /// Starts `tasks` tasks that each append `each` events with distinct summaries.
    static func appendConcurrently(
        tasks: Int, each: Int, log: @escaping @Sendable (Int) -> AuditLog
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for n in 0..<each {
                        var event = AuditFixture.event(task * each + n + 1)
                        event.summary = "task \(task) event \(n)"
                        try await log(task).append(event)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
