import Foundation
import GRDB

extension StewardDatabase {
    /// Inserts a new agent; throws `.nameTaken` if an active agent has its name, `.conflict` on a duplicate id.
    public func insertAgent(_ agent: AgentRecord) async throws {
        try await writer.write { db in
            try Self.insertAgent(agent, db)
        }
    }

    /// The agent with this id, active or revoked.
    public func agent(id: String) async throws -> AgentRecord? {
        try await writer.read { db in
            try AgentRecord.fetchOne(db, key: id)
        }
    }

    /// The agent with this name: the active one if any, else the most recently enrolled revoked one.
    public func agent(named name: String) async throws -> AgentRecord? {
        try await writer.read { db in
            try AgentRecord.all().named(name).fetchOne(db)
        }
    }

    /// Every agent, active and revoked, sorted by name (then enrollment time).
    public func agents() async throws -> [AgentRecord] {
        try await writer.read { db in
            try AgentRecord.all()
                .order(AgentRecord.Columns.name, AgentRecord.Columns.enrolledAt)
                .fetchAll(db)
        }
    }

    /// Records a new session: the agent's version, boot id, last-seen time and, if given, new facts
    /// (`nil` keeps the stored facts). Throws `.notFound` for an unknown id.
    public func updateAgentSession(
        id: String, facts: Data?, version: String, bootID: String, lastSeen: Date
    ) async throws {
        try await grouped.write { db in
            var assignments = [
                AgentRecord.Columns.agentVersion.set(to: version),
                AgentRecord.Columns.bootID.set(to: bootID),
                AgentRecord.Columns.lastSeenAt.set(to: lastSeen.databaseMilliseconds),
            ]
            if let facts {
                assignments.append(AgentRecord.Columns.facts.set(to: facts))
            }
            let changed = try AgentRecord.filter(key: id).updateAll(db, assignments)
            guard changed == 1 else { throw StoreError(.notFound, "no agent with id \(id)") }
        }
    }

    /// Marks the agent as seen at `lastSeen`. Throws `.notFound` for an unknown id.
    public func touchAgent(id: String, lastSeen: Date) async throws {
        try await grouped.write { db in
            let changed = try AgentRecord.filter(key: id)
                .updateAll(db, AgentRecord.Columns.lastSeenAt.set(to: lastSeen.databaseMilliseconds))
            guard changed == 1 else { throw StoreError(.notFound, "no agent with id \(id)") }
        }
    }

    /// Sets `last_seen` of every agent in `ids` (the online ones, periodically): one transaction per
    /// 1,000 agents instead of one write per agent. Unknown ids are skipped.
    public func touchAgents(ids: [String], lastSeen: Date) async throws {
        let time = lastSeen.databaseMilliseconds
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            let batch = Array(ids[start..<min(ids.count, start + 1_000)])
            try await writer.write { db in
                let touch = try db.cachedStatement(sql: "UPDATE agents SET last_seen_at = ? WHERE id = ?")
                for id in batch { try touch.execute(arguments: [time, id]) }
            }
        }
    }

    /// Revokes the active agent with this name and returns it. Revoking again is harmless: with no
    /// active agent of that name, the latest revoked one is returned unchanged. Throws `.notFound` otherwise.
    public func revokeAgent(named name: String, at now: Date) async throws -> AgentRecord {
        try await writer.write { db in
            guard var agent = try AgentRecord.all().named(name).fetchOne(db) else {
                throw StoreError(.notFound, "no agent named \(name)")
            }
            if agent.status == .active {
                agent.status = .revoked
                agent.revokedAt = now
                try agent.update(db, columns: [AgentRecord.Columns.status, AgentRecord.Columns.revokedAt])
            }
            return agent
        }
    }

    /// Records the agent's current certificate. Throws `.notFound` for an unknown id.
    public func updateAgentCertificate(id: String, serial: String, notAfter: Date) async throws {
        try await writer.write { db in
            let changed = try AgentRecord.filter(key: id).updateAll(db, [
                AgentRecord.Columns.certSerial.set(to: serial),
                AgentRecord.Columns.certNotAfter.set(to: notAfter.databaseMilliseconds),
            ])
            guard changed == 1 else { throw StoreError(.notFound, "no agent with id \(id)") }
        }
    }

    static func insertAgent(_ agent: AgentRecord, _ db: Database) throws {
        if agent.status == .active, try AgentRecord.all().active().named(agent.name).isEmpty(db) == false {
            throw StoreError(.nameTaken, "an active agent is already named \(agent.name)")
        }
        do {
            try agent.insert(db)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.conflict, "cannot insert agent \(agent.id): \(error.message ?? "constraint violated")")
        }
    }
}
