import GRDB
import Testing
@testable import StewardController

/// What a periodic task logs about its failures: a storage outage at its start and its end, other failures each time.
@Suite struct StorageOutageTests {
    /// One outcome per tick: nil = success, else the error; and what it should report.
    enum Step: String { case ok, full, io, other }

    static func error(_ step: Step) -> (any Error)? {
        switch step {
        case .ok: nil
        case .full: DatabaseError(resultCode: .SQLITE_FULL)
        case .io: DatabaseError(resultCode: .SQLITE_IOERR_WRITE)
        case .other: StoreError(.conflict, "unrelated")
        }
    }

    static func describe(_ event: StorageOutage.Event) -> String {
        switch event {
        case .nothingNew: "-"
        case .began(let storage): "began \(storage.code)"
        case .ended: "ended"
        case .failed: "failed"
        }
    }

    static let sequences: [([Step], [String])] = [
        ([.ok, .ok], ["-", "-"]),
        ([.full, .full, .full, .ok, .ok], ["began diskFull", "-", "-", "ended", "-"]),
        ([.ok, .io, .full, .ok], ["-", "began ioFailure", "-", "ended"]),
        ([.full, .other, .full, .ok], ["began diskFull", "failed", "-", "ended"]),
        ([.other, .other, .ok], ["failed", "failed", "-"]),
        ([.full, .ok, .full, .ok], ["began diskFull", "ended", "began diskFull", "ended"]),
    ]

    @Test(arguments: sequences)
    func reportsTheStartAndEndOfAnOutageOnce(steps: [Step], expected: [String]) {
        var outage = StorageOutage()
        let reported = steps.map { Self.describe(outage.record(Self.error($0))) }
        #expect(reported == expected)
        #expect((outage.current == nil) == (steps.last == .ok))
    }
}
