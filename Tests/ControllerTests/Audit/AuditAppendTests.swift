import Crypto
import Foundation
import GRDB
import Testing
@testable import StewardController

@Suite("Audit append", .timeLimit(.minutes(1)))
struct AuditAppendTests {
    @Test func firstRowStartsFromZeroHashAndEachRowLinksToThePrevious() async throws {
        let (log, _) = try AuditFixture.log()
        let records = try await AuditFixture.append(5, to: log)
        #expect(records.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(records[0].prevHash == Data(repeating: 0, count: 32))
        for (previous, next) in zip(records, records.dropFirst()) {
            #expect(next.prevHash == previous.hash)
        }
        #expect(Set(records.map(\.hash)).count == 5)
        #expect(records.allSatisfy { $0.hash.count == 32 && StewardID.isValid($0.id) })
        #expect(try await log.head() == AuditHead(seq: 5, hash: records[4].hash))
    }

    @Test func returnsExactlyTheStoredRow() async throws {
        let (log, database) = try AuditFixture.log()
        let event = AuditEvent(
            at: Date(timeIntervalSince1970: 1_700_000_000.123), kind: .decision, actor: "slack:U123",
            room: "C42", host: "web-1", jobID: "01J0000000000000000000000A", summary: "denied: reboot",
            details: ["rule": "viewers/read-only", "verdict": "deny"])
        let record = try await log.append(event)
        let stored = try await database.writer.read { db in try AuditRecord.fetchOne(db, key: 1) }
        #expect(stored == record)
        #expect(record.at.databaseMilliseconds == 1_700_000_000_123)
        #expect(record.detailsJSON == #"{"rule":"viewers/read-only","verdict":"deny"}"#)
        #expect(record.details == ["rule": "viewers/read-only", "verdict": "deny"])
        #expect(record.hash == AuditChain.hash(of: record))
    }

    @Test func hashesAFixedCanonicalEncoding() {
        // Frozen: stored chains depend on this exact encoding, so a change must fail here first.
        let hash = AuditChain.hash(
            seq: 1, id: "01HF7YAT000000000000000000", at: 1_700_000_000_000, kind: "request", actor: "cli:admin",
            room: nil, host: "web-1", jobID: nil, summary: "restart nginx on web-1", details: "{}",
            prevHash: AuditChain.genesisHash)
        // Computed outside Swift (Python's hashlib over the documented layout).
        #expect(AuditFixture.hex(hash) == "736088d8563183273cd3d311167059ff757236060a5f850f2e05bc70b4607f40")
        #expect(AuditFixture.hex(hash) == Self.independentHash())
    }

    /// The same input built by hand from the documented layout.
    static func independentHash() -> String {
        var bytes: [UInt8] = []
        func field(_ value: [UInt8]?) {
            guard let value else { return bytes.append(0) }
            bytes.append(1)
            bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(value.count) >> (8 * $0)) }
            bytes += value
        }
        func int(_ value: Int64) { field((0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }) }
        field(Array("steward.audit.v1".utf8))
        int(1)
        field(Array("01HF7YAT000000000000000000".utf8))
        int(1_700_000_000_000)
        for text in ["request", "cli:admin"] { field(Array(text.utf8)) }
        field(nil)
        field(Array("web-1".utf8))
        field(nil)
        for text in ["restart nginx on web-1", "{}"] { field(Array(text.utf8)) }
        field([UInt8](repeating: 0, count: 32))
        return AuditFixture.hex(Data(SHA256.hash(data: bytes)))
    }

    @Test func encodingIsUnambiguousAcrossFieldBoundariesAndNulls() {
        func hash(actor: String, room: String?, summary: String) -> Data {
            AuditChain.hash(
                seq: 7, id: "ID", at: 0, kind: "admin", actor: actor, room: room, host: nil, jobID: nil,
                summary: summary, details: "{}", prevHash: AuditChain.genesisHash)
        }
        let base = hash(actor: "cli:admin", room: "x", summary: "yz")
        #expect(base != hash(actor: "cli:admin", room: "xy", summary: "z"))
        #expect(base != hash(actor: "cli:adminx", room: "", summary: "yz"))
        #expect(hash(actor: "a", room: nil, summary: "s") != hash(actor: "a", room: "", summary: "s"))
        #expect(base == hash(actor: "cli:admin", room: "x", summary: "yz"))
    }

    @Test func refusesMalformedEventsWithoutWritingAnything() async throws {
        let (log, _) = try AuditFixture.log()
        let bad: [AuditEvent] = [
            AuditEvent(at: AuditFixture.t0, kind: .request, actor: "", summary: "no actor"),
            AuditEvent(at: AuditFixture.t0, kind: AuditKind(rawValue: "Job Started"), actor: "a", summary: "s"),
            AuditEvent(at: AuditFixture.t0, kind: AuditKind(rawValue: ""), actor: "a", summary: "s"),
            AuditEvent(at: AuditFixture.t0, kind: AuditKind(rawValue: String(repeating: "k", count: 33)), actor: "a", summary: "s"),
            AuditEvent(at: AuditFixture.t0, kind: .admin, actor: String(repeating: "a", count: 257), summary: "s"),
            AuditEvent(at: AuditFixture.t0, kind: .admin, actor: "a", host: String(repeating: "h", count: 257), summary: "s"),
            AuditEvent(at: AuditFixture.t0, kind: .admin, actor: "a", summary: "s",
                       details: ["blob": String(repeating: "x", count: AuditEvent.maxDetailsBytes)]),
        ]
        for event in bad {
            let error = await #expect(throws: StoreError.self) { try await log.append(event) }
            #expect(error?.code == .invalidArgument)
        }
        #expect(try await log.events().isEmpty)
        #expect(try await log.head() == AuditHead(seq: 0, hash: AuditChain.genesisHash))
    }

    @Test func cutsAnOverlongSummaryButStillRecordsTheEvent() async throws {
        let (log, _) = try AuditFixture.log()
        let typed = String(repeating: "y", count: 50_000)
        let record = try await log.append(AuditEvent(at: AuditFixture.t0, kind: .request, actor: "slack:U1", summary: typed))
        #expect(record.summary.count == AuditEvent.maxSummaryLength)
        #expect(record.summary.hasSuffix("…"))
        #expect(try await log.verify() == .intact(count: 1))
    }

    @Test func storesEmptyRoomHostAndJobAsNull() async throws {
        let (log, database) = try AuditFixture.log()
        try await log.append(AuditEvent(at: AuditFixture.t0, kind: .admin, actor: "cli:admin", room: "", host: "",
                                        jobID: "", summary: "tokens create"))
        let nulls = try await database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE room IS NULL AND host IS NULL AND job_id IS NULL")
        }
        #expect(nulls == 1)
    }
}
