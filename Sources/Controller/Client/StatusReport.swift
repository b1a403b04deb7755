import Foundation

/// `steward status`: the controller's health and each chat connection's, as text.
public enum StatusReport {
    public static func render(_ health: API.Health, now: Date) -> String {
        var lines = ["controller: \(health.status), version \(health.version), \(health.agentsOnline) agent(s) online"]
        let chat = health.chat ?? []
        guard !chat.isEmpty else {
            lines.append("chat connections: none configured (add a `chat:` list to controller.yaml)")
            return lines.joined(separator: "\n")
        }
        var table = TextTable(columns: [
            .init("CHAT"), .init("PLATFORM"), .init("STATE", maxWidth: 60), .init("LAST EVENT"),
            .init("REJECTED", alignment: .right), .init("RECONNECTS", alignment: .right),
        ])
        for connection in chat {
            table.append([
                connection.name, connection.platform, connection.summary,
                connection.lastEventAt.map { AgentsTable.ago($0, now: now) } ?? "never",
                String(connection.rejectedRequests), String(connection.reconnects),
            ])
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}
