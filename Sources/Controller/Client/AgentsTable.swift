import Foundation

/// `steward agents` and `steward history` as text tables.
public enum AgentsTable {
    public static func render(_ agents: [API.Agent], now: Date) -> String {
        var table = TextTable(columns: [
            .init("NAME"), .init("STATE"), .init("LABELS", maxWidth: 40), .init("VERSION"), .init("LAST SEEN"), .init("ID"),
        ])
        for agent in agents {
            table.append([
                agent.name, agent.state,
                agent.labels.isEmpty ? "-" : agent.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                agent.version ?? "-",
                agent.state == "online" ? "now" : agent.lastSeen.map { ago($0, now: now) } ?? "never",
                agent.id,
            ])
        }
        return table.render()
    }

    static func ago(_ date: Date, now: Date) -> String {
        DurationFormat.short(seconds: max(0, now.timeIntervalSince(date))) + " ago"
    }
}

public enum HistoryTable {
    public static func render(_ entries: [API.HistoryEntry]) -> String {
        var table = TextTable(columns: [
            .init("JOB"), .init("WHEN"), .init("WHO"), .init("ACTION", maxWidth: 40), .init("STATUS"),
            .init("EXIT", alignment: .right), .init("DURATION", alignment: .right),
        ])
        for entry in entries {
            table.append([
                entry.jobID, ISO8601DateFormatter().string(from: entry.createdAt), entry.requestedBy, entry.command, entry.status,
                entry.exitCode.map(String.init) ?? "-", entry.durationMs.map { "\($0) ms" } ?? "-",
            ])
        }
        return table.render()
    }
}
