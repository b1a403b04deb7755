import Foundation
import GRDB
import Testing
@testable import StewardController

@Suite("Audit verify", .timeLimit(.minutes(2)))
struct AuditVerifyTests {
    @Test func anEmptyTrailIsIntact() async throws {
        let (log, _) = try AuditFixture.log()
        #expect(try await log.verify() == .intact(count: 0))
    }

    @Test func aThousandEventsVerifyIntactAcrossPages() async throws {
        let (log, _) = try AuditFixture.log()
        try await AuditFixture.append(1_000, to: log)
        #expect(1_000 > AuditLog.verifyPageSize)
        let result = try await log.verify()
        #expect(result == .intact(count: 1_000))
        #expect(result.isIntact)
        #expect(result.description == "audit trail intact: 1000 events verified")
    }

    @Test func anEditedSummaryIsReportedAtThatRow() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(1_000, to: log)
        try await AuditFixture.tamper(database, "UPDATE audit_events SET summary = 'nothing happened' WHERE seq = 517")
        let result = try await log.verify()
        #expect(result == .broken(at: 517, reason: .hashMismatch))
        #expect(!result.isIntact)
        #expect(result.description == "audit trail BROKEN at seq 517: row was edited (its content does not match its hash)")
    }

    @Test(arguments: [
        "UPDATE audit_events SET actor = 'slack:U9' WHERE seq = 40",
        "UPDATE audit_events SET at = at + 1 WHERE seq = 40",
        "UPDATE audit_events SET room = NULL WHERE seq = 40",
        "UPDATE audit_events SET kind = 'admin' WHERE seq = 40",
        "UPDATE audit_events SET details = '{\"n\":\"41\"}' WHERE seq = 40",
        "UPDATE audit_events SET hash = zeroblob(32) WHERE seq = 40",
    ])
    func anyEditedColumnIsReportedAtThatRow(sql: String) async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(60, to: log)
        try await AuditFixture.tamper(database, sql)
        #expect(try await log.verify() == .broken(at: 40, reason: .hashMismatch))
    }

    @Test func aDeletedMiddleRowIsReportedAtItsSeq() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(1_000, to: log)
        try await AuditFixture.tamper(database, "DELETE FROM audit_events WHERE seq = 600")
        #expect(try await log.verify() == .broken(at: 600, reason: .rowMissing))
    }

    @Test func aDeletedFirstRowIsReportedAtSeqOne() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(10, to: log)
        try await AuditFixture.tamper(database, "DELETE FROM audit_events WHERE seq = 1")
        #expect(try await log.verify() == .broken(at: 1, reason: .rowMissing))
    }

    @Test func aDeletedRowWithLaterRowsRenumberedBreaksTheirHashes() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(20, to: log)
        // Closing the gap: seq is hashed, so the first renumbered row no longer matches its hash.
        try await AuditFixture.tamper(database, """
            DELETE FROM audit_events WHERE seq = 8;
            UPDATE audit_events SET seq = seq - 1 WHERE seq > 8;
            UPDATE audit_head SET seq = 19;
            """)
        #expect(try await log.verify() == .broken(at: 8, reason: .hashMismatch))
    }

    @Test func deletedLastRowsAreCaughtThroughTheHead() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(1_000, to: log)
        try await AuditFixture.tamper(database, "DELETE FROM audit_events WHERE seq >= 998")
        let result = try await log.verify()
        #expect(result == .broken(at: 998, reason: .truncated))
        #expect(result.description.contains("removed from the end"))
    }

    @Test func appendingAfterATruncationKeepsTheGapVisible() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(10, to: log)
        try await AuditFixture.tamper(database, "DELETE FROM audit_events WHERE seq = 10")
        let next = try await log.append(AuditFixture.event(11))
        #expect(next.seq == 11)
        #expect(try await log.verify() == .broken(at: 10, reason: .rowMissing))
    }

    @Test func aReHashedForgedRowIsCaughtByTheNextRowsLink() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(100, to: log)
        try await AuditFixture.forge(database, seq: 42, summary: "nothing to see")
        #expect(try await log.verify() == .broken(at: 43, reason: .linkMismatch))
    }

    @Test func aReHashedForgedLastRowIsCaughtByTheHead() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(100, to: log)
        try await AuditFixture.forge(database, seq: 100, summary: "nothing to see")
        #expect(try await log.verify() == .broken(at: 100, reason: .headMismatch))
    }

    @Test func aRowSlippedInBeyondTheHeadIsCaught() async throws {
        let (log, database) = try AuditFixture.log()
        let records = try await AuditFixture.append(5, to: log)
        // A well-formed, correctly chained row written without moving the head.
        var extra = records[4]
        (extra.seq, extra.id, extra.summary, extra.prevHash) = (6, "EXTRA", "slipped in", records[4].hash)
        extra.hash = AuditChain.hash(of: extra)
        try await database.writer.write { [extra] db in try extra.insert(db) }
        #expect(try await log.verify() == .broken(at: 6, reason: .headMismatch))
        // The next append continues after it instead of colliding with its seq.
        #expect(try await log.append(AuditFixture.event(7)).seq == 7)
    }

    @Test func aDeletedHeadIsReported() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(3, to: log)
        try await AuditFixture.tamper(database, "DELETE FROM audit_head")
        #expect(try await log.verify() == .broken(at: 3, reason: .headMissing))
        #expect(try await log.head() == nil)
    }

    @Test func aRewrittenHeadIsReported() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(3, to: log)
        try await AuditFixture.tamper(database, "UPDATE audit_head SET hash = zeroblob(32)")
        #expect(try await log.verify() == .broken(at: 3, reason: .headMismatch))
    }

    @Test func aChainStartingFromANonZeroHashIsReported() async throws {
        let (log, database) = try AuditFixture.log()
        try await AuditFixture.append(3, to: log)
        try await AuditFixture.tamper(database, "UPDATE audit_events SET prev_hash = randomblob(32) WHERE seq = 1")
        #expect(try await log.verify() == .broken(at: 1, reason: .hashMismatch))
        var first = try #require(try await database.writer.read { db in try AuditRecord.fetchOne(db, key: 1) })
        first.hash = AuditChain.hash(of: first)
        try await AuditFixture.tamper(database, "UPDATE audit_events SET hash = ? WHERE seq = 1", arguments: [first.hash])
        #expect(try await log.verify() == .broken(at: 1, reason: .linkMismatch))
    }

    @Test func appendsMadeWhileVerifyingDoNotDisturbTheCheck() async throws {
        let (log, _) = try AuditFixture.log()
        try await AuditFixture.append(2_000, to: log)
        async let verification = log.verify()
        for n in 2_001...2_050 {
            try await log.append(AuditFixture.event(n))
        }
        // The check covers the rows present when it started: all of the first 2,000, maybe a few more.
        guard case .intact(let count) = try await verification else {
            Issue.record("verification was not intact")
            return
        }
        #expect((2_000...2_050).contains(count))
        #expect(try await log.verify() == .intact(count: 2_050))
    }
}
