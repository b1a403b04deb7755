import Foundation
import Hummingbird

/// `/api/v1/agents`: list, revoke and per-host history.
struct AgentRoutes {
    let deps: APIDependencies

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("agents") { _, _ -> [API.Agent] in
            let online = await deps.registry.onlineAgentIDs
            return try await deps.database.agents().map { $0.api(online: online.contains($0.id)) }
        }
        group.get("agents/:name") { _, context -> API.Agent in
            let agent = try await agent(named: context)
            return agent.api(online: await deps.registry.isOnline(agent.id))
        }
        group.post("agents/:name/revoke") { _, context -> API.Agent in
            let name = try context.parameters.require("name")
            let revoked: AgentRecord
            do {
                revoked = try await deps.database.revokeAgent(named: name, at: Date())
            } catch {
                throw HTTPError.from(error)
            }
            await deps.registry.disconnect(revoked.id, reason: "agent revoked")
            try await AuditLog(database: deps.database).append(AuditEvent(
                at: Date(), kind: .admin, actor: "api:\(context.tokenName ?? "?")", host: revoked.name,
                summary: "revoked agent \(revoked.name) (\(revoked.id))"))
            deps.logger.notice("agent revoked", metadata: ["agent.id": "\(revoked.id)", "by": "\(context.tokenName ?? "?")"])
            return revoked.api(online: false)
        }
        group.get("agents/:name/history") { request, context -> [API.HistoryEntry] in
            let agent = try await agent(named: context)
            let limit = try request.uri.queryParameters.get("limit", as: Int.self).map { value in
                guard (1...10_000).contains(value) else { throw HTTPError(.badRequest, message: "limit must be 1...10000") }
                return value
            } ?? 20
            let before = request.uri.queryParameters.get("before")
            do {
                return try await deps.database.history(agentID: agent.id, limit: limit, before: before).map(\.api)
            } catch {
                throw HTTPError.from(error)
            }
        }
    }

    private func agent(named context: APIRequestContext) async throws -> AgentRecord {
        let name = try context.parameters.require("name")
        guard let agent = try await deps.database.agent(named: name) else {
            throw HTTPError(.notFound, message: "no agent named '\(name)'")
        }
        return agent
    }
}

extension AgentRecord {
    func api(online: Bool) -> API.Agent {
        API.Agent(
            id: id, name: name, state: status == .revoked ? "revoked" : online ? "online" : "offline", labels: labels,
            version: agentVersion, bootID: bootID, lastSeen: online ? Date() : lastSeenAt, enrolledAt: enrolledAt,
            certificateExpires: certNotAfter, factsJSON: facts.flatMap { String(data: $0, encoding: .utf8) })
    }
}

extension HistoryRow {
    var api: API.HistoryEntry {
        API.HistoryEntry(
            jobID: jobID, createdAt: createdAt, requestedBy: requestedBy, command: commandText, status: status.rawValue,
            exitCode: exitCode, durationMs: duration.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 })
    }
}
