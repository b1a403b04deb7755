import Foundation
import GRDB

/// An active agent as target resolution sees it: no facts, certificates or timestamps.
public struct AgentTarget: Sendable, Hashable {
    public var id: String
    public var name: String
    public var labels: [String: String]
}

extension StewardDatabase {
    /// The active agents a selector targets, sorted by name.
    ///
    /// A narrow query, not whole records: decoding every `AgentRecord` (facts included) on each submit was
    /// 47.5 % of the controller's CPU in a loop of single-host jobs with 1,000 agents enrolled. Names are
    /// looked up by the index; labels are decoded only for a label selector or when `withLabels` asks.
    public func targets(_ selector: TargetSelector, withLabels: Bool = false) async throws -> [AgentTarget] {
        try await writer.read { db in
            var sql = "SELECT id, name, labels FROM agents WHERE status = ?"
            var arguments: StatementArguments = [AgentStatus.active.rawValue]
            if case .names(let names) = selector {
                sql += " AND name IN (\(databaseQuestionMarks(count: names.count)))"
                arguments += StatementArguments(names)
            }
            sql += " ORDER BY name"
            let decoder = JSONDecoder()
            var targets: [AgentTarget] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let name: String = row["name"]
                var labels: [String: String] = [:]
                if withLabels || selector.needsLabels {
                    let text: String = row["labels"]
                    labels = try decoder.decode([String: String].self, from: Data(text.utf8))
                }
                guard selector.matches(name: name, labels: labels) else { continue }
                targets.append(AgentTarget(id: row["id"], name: name, labels: labels))
            }
            return targets
        }
    }
}

extension StewardDatabase {
    /// The names of the agents a job has runs on, by agent id (revoked agents included): one join, not
    /// every agent record (a job view at 1,000 agents decoded them all, on every `GET /api/v1/jobs/ID`).
    func agentNames(jobID: String) async throws -> [String: String] {
        try await writer.read { db in try Self.agentNames(db, jobID: jobID) }
    }

    /// ``agentNames(jobID:)`` in a read the caller holds.
    static func agentNames(_ db: Database, jobID: String) throws -> [String: String] {
        var names: [String: String] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT agents.id, agents.name FROM runs JOIN agents ON agents.id = runs.agent_id WHERE runs.job_id = ?
            """), arguments: [jobID])
        while let row = try rows.next() { names[row[0]] = row[1] }
        return names
    }
}

extension TargetSelector {
    /// Whether matching looks at labels (only a label selector does).
    var needsLabels: Bool {
        if case .labels = self { return true }
        return false
    }
}
