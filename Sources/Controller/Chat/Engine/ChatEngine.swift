import Foundation
import Logging

/// The bot: turns chat messages into decisions, jobs and replies, and records every step in the audit trail.
///
/// Adapters hand it addressed messages; it de-duplicates them by platform event id, parses the command,
/// asks the policy, asks for confirmation or approval when the policy says so, runs the job through the
/// dispatcher and keeps one reply message up to date until the job is done.
public actor ChatEngine {
    let database: StewardDatabase
    let dispatcher: Dispatcher
    let audit: AuditLog
    var policy: ChatPolicy
    let parser: ChatCommandParser
    var approvals: ApprovalBook
    let logger: Logger
    /// Where denials and refused approvals are counted.
    let metrics: ControllerMetrics
    let now: @Sendable () -> Date
    let consoleURL: String?
    let progressInterval: Duration
    /// Job requests waiting for a `yes` or an `approve`, by confirmation or ticket id.
    var pending: [String: PendingJob] = [:]

    struct PendingJob: Sendable {
        var request: JobRequest
        var requester: ChatMessage
        var summary: String
    }

    public init(
        database: StewardDatabase, dispatcher: Dispatcher, policy: ChatPolicy, parser: ChatCommandParser = ChatCommandParser(),
        consoleURL: String? = nil, progressInterval: Duration = .seconds(1), metrics: ControllerMetrics = ControllerMetrics(),
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.dispatcher = dispatcher
        self.audit = AuditLog(database: database)
        self.policy = policy
        self.parser = parser
        self.approvals = ApprovalBook(now: now)
        self.consoleURL = consoleURL
        self.progressInterval = progressInterval
        self.logger = logger
        self.metrics = metrics
        self.now = now
    }

    /// Handles one message addressed to the bot (addressing is the adapter's job).
    public func handle(_ message: ChatMessage, via adapter: any ChatAdapter) async {
        do {
            guard try await database.recordChatEvent(platform: message.platform, eventID: message.eventID, at: now()) else {
                logger.debug("duplicate chat event ignored", metadata: ["chat.platform": "\(message.platform)", "chat.event": "\(message.eventID)"])
                return
            }
            try await record(.request, message, summary: message.text)
            let reply = try await respond(to: message, via: adapter)
            if let reply { _ = try await adapter.post(reply, room: message.room, thread: message.thread) }
        } catch {
            logger.error("chat message failed", metadata: ["chat.platform": "\(message.platform)", "error": "\(error)"])
            _ = try? await adapter.post(.text(Self.failureText(error)), room: message.room, thread: message.thread)
        }
    }

    /// The reply to post, or nil when a job reply was already posted (and is being kept up to date).
    func respond(to message: ChatMessage, via adapter: any ChatAdapter) async throws -> ChatReply? {
        let command: ChatCommand
        do {
            command = try parser.parse(message.text)
        } catch {
            return .text(error.description)
        }
        let identity = ChatPolicy.Identity(platform: message.platform, userID: message.userID)
        let room = "\(message.platform):\(message.room)"
        switch command {
        case .help(let topic):
            return help(topic: topic, identity: identity, room: room)
        case .whoami:
            let roles = policy.roles(of: identity)
            return .text("you are \(identity) (\(message.displayName)); roles: \(roles.isEmpty ? "none" : roles.joined(separator: ", "))")
        case .confirm:
            return try await confirm(message, identity: identity, room: room, via: adapter)
        case .approve(let id):
            return try await approve(id: id, message, identity: identity, via: adapter)
        case .deny(let id):
            return try await deny(id: id, message, identity: identity, via: adapter)
        case .agents(let selector):
            if let refusal = try await authorize(message, permission: "agents", targets: []) { return refusal }
            let agents = try await database.agents().filter { selector?.matches(name: $0.name, labels: $0.labels) ?? true }
            let online = await dispatcher.registry.onlineAgentIDs
            return ChatReply([.code(AgentsTable.render(agents.map { $0.api(online: online.contains($0.id)) }, now: now()))])
        case .history(let host, let limit):
            guard let agent = try await database.agent(named: host) else { return .text("no agent named '\(host)'") }
            if let refusal = try await authorize(message, permission: "history", targets: [agent]) { return refusal }
            let rows = try await database.history(agentID: agent.id, limit: limit)
            return rows.isEmpty ? .text("no jobs on \(host) yet") : ChatReply([.code(HistoryTable.render(rows.map(\.api)))])
        case .jobStatus(let id):
            if let refusal = try await authorize(message, permission: "job", targets: []) { return refusal }
            let view = try await database.jobView(id: id)
            return ChatJobView.render(view, askedBy: view.requestedBy, output: try await outputs(of: view), limit: adapter.capabilities.maxMessageLength, consoleURL: consoleURL)
        case .cancel(let id):
            if let refusal = try await authorize(message, permission: "cancel", targets: []) { return refusal }
            let job = try await dispatcher.cancel(jobID: try await database.job(id: id).id, by: message.actor)
            try await record(.admin, message, summary: "cancel job \(job.id)", jobID: job.id)
            return .text("cancel requested for job \(job.id)")
        case .job(let action, let target, let options), .alias(_, _, let action, let target, let options):
            return try await requestJob(message, action: action, target: target, options: options, identity: identity, room: room, via: adapter)
        }
    }

    func help(topic: String?, identity: ChatPolicy.Identity, room: String) -> ChatReply {
        let allowed = Set(policy.permittedCommands(for: identity, room: room))
        let permitted = parser.catalogue.filter { entry in
            guard let permission = entry.permission else { return true }
            return allowed.contains(permission) || allowed.contains("*")
                || (permission.hasPrefix("exec:") && allowed.contains("exec:*"))
                || (permission.hasPrefix("service.") && allowed.contains { $0.hasPrefix("service.") })
        }
        if let topic, let usage = parser.usage(topic) { return .text("usage: \(usage)") }
        let lines = permitted.map { "\($0.usage) — \($0.summary)" }
        return ChatReply([.text("commands you may use here:"), .code(lines.joined(separator: "\n"))])
    }

    /// Audits and returns the refusal when `permission` is denied; nil when allowed without a gate.
    func authorize(_ message: ChatMessage, permission: String, targets: [AgentRecord]) async throws -> ChatReply? {
        let decision = policy.decide(ChatAuthorizationRequest(
            identity: ChatPolicy.Identity(platform: message.platform, userID: message.userID), displayName: message.displayName,
            room: "\(message.platform):\(message.room)", permission: permission,
            targets: targets.map { ChatPolicy.Target(name: $0.name, labels: $0.labels) }))
        guard case .deny(let reason) = decision else { return nil }
        countDenial(of: message)
        try await record(.decision, message, summary: "denied \(permission): \(reason)", details: ["decision": "denied"])
        return .text("denied: \(reason)")
    }

    /// Counts a policy denial: `not_in_policy` for an identity without roles, else `denied`.
    func countDenial(of message: ChatMessage) {
        let known = !policy.roles(of: ChatPolicy.Identity(platform: message.platform, userID: message.userID)).isEmpty
        metrics.rejected(.chat, known ? .denied : .notInPolicy)
    }

    func record(_ kind: AuditKind, _ message: ChatMessage, summary: String, host: String? = nil, jobID: String? = nil,
                details: [String: String] = [:]) async throws {
        try await audit.append(AuditEvent(
            at: now(), kind: kind, actor: message.actor, room: "\(message.platform):\(message.room)", host: host, jobID: jobID,
            summary: summary, details: details))
    }
}
