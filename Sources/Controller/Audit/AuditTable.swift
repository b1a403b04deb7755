import Foundation

/// `steward audit` as a text table, one row per event, in the order given.
public enum AuditTable {
    /// Summaries are cut here so one long command cannot make every line of the table wrap.
    static let summaryWidth = 60

    /// Columns: SEQ, TIME (UTC), KIND, ACTOR, ROOM, HOST, JOB, SUMMARY; absent values show as "-".
    public static func render(_ records: [AuditRecord]) -> String {
        var table = TextTable(columns: [
            .init("SEQ", alignment: .right), .init("TIME"), .init("KIND"), .init("ACTOR", maxWidth: 32),
            .init("ROOM", maxWidth: 24), .init("HOST", maxWidth: 32), .init("JOB"),
            .init("SUMMARY", maxWidth: summaryWidth),
        ])
        let formatter = ISO8601DateFormatter()
        for record in records {
            table.append([
                "\(record.seq)", formatter.string(from: record.at), record.kind.rawValue, record.actor,
                record.room ?? "-", record.host ?? "-", record.jobID ?? "-", record.summary,
            ])
        }
        return table.render()
    }
}
