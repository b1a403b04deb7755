import Foundation
import Testing
@testable import StewardController

@Suite("Audit table")
struct AuditTableTests {
    static func record(
        _ seq: Int64, kind: AuditKind, actor: String, room: String?, host: String?, jobID: String?, summary: String
    ) -> AuditRecord {
        AuditRecord(
            seq: seq, id: "ID\(seq)", at: AuditFixture.t0.addingTimeInterval(Double(seq)), kind: kind, actor: actor,
            room: room, host: host, jobID: jobID, summary: summary, detailsJSON: "{}",
            prevHash: AuditChain.genesisHash, hash: AuditChain.genesisHash)
    }

    @Test func rendersOneLinePerEventWithDashesForAbsentValues() {
        let text = AuditTable.render([
            Self.record(12, kind: .jobStarted, actor: "slack:U1", room: "#ops", host: "web-1", jobID: "01JOB",
                        summary: "restart nginx on web-1"),
            Self.record(3, kind: .admin, actor: "cli:admin", room: nil, host: nil, jobID: nil, summary: "tokens create"),
        ])
        #expect(text == """
            SEQ  TIME                  KIND         ACTOR      ROOM  HOST   JOB    SUMMARY
            ---  --------------------  -----------  ---------  ----  -----  -----  ----------------------
             12  2023-11-14T22:13:32Z  job_started  slack:U1   #ops  web-1  01JOB  restart nginx on web-1
              3  2023-11-14T22:13:23Z  admin        cli:admin  -     -      -      tokens create
            """)
    }

    @Test func neutralisesControlCharactersAndCutsLongSummaries() {
        let text = AuditTable.render([
            Self.record(1, kind: .request, actor: "slack:U1\u{1B}[31m", room: nil, host: nil, jobID: nil,
                        summary: "line one\nline two " + String(repeating: "z", count: 100)),
        ])
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("slack:U1?[31m"))
        #expect(lines[2].hasSuffix("line one line two " + String(repeating: "z", count: 39) + "..."))
    }

    @Test func rendersJustTheHeaderForNoEvents() {
        #expect(AuditTable.render([]).split(separator: "\n").count == 2)
    }
}
