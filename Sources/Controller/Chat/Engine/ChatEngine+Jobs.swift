import Foundation

extension ChatEngine {
    /// A job asked for in chat: resolve hosts, ask the policy, then run, confirm, or ask for approval.
    func requestJob(
        _ message: ChatMessage, action: JobAction, target: TargetSelector, options: JobOptions,
        identity: ChatPolicy.Identity, room: String, via adapter: any ChatAdapter
    ) async throws -> ChatReply? {
        // With labels: the policy may grant by label.
        let hosts = try await database.targets(target, withLabels: true)
        guard !hosts.isEmpty else { return .text("no enrolled agent matches '\(target)'") }
        let permission = ChatCommandCatalogue.permission(for: action)
        let decision = policy.decide(ChatAuthorizationRequest(
            identity: identity, displayName: message.displayName, room: room, permission: permission,
            targets: hosts.map { ChatPolicy.Target(name: $0.name, labels: $0.labels) }))
        let names = hosts.map(\.name).sorted()
        let summary = "\(action.commandText) on \(names.count == 1 ? names[0] : "\(names.count) hosts")"
        if options.dryRun, !decision.isDenied {
            return ChatReply([.text("dry run: \(action.commandText) would run on \(names.count) host(s):"), .code(names.joined(separator: "\n"))])
        }
        let request = JobRequest(
            action: action, target: target, requestedBy: message.actor, source: .chat, batch: options.batch,
            maxErrors: options.maxErrors, timeout: options.timeout ?? JobRequest.defaultTimeout)
        switch decision {
        case .deny(let reason):
            countDenial(of: message)
            try await record(.decision, message, summary: "denied \(summary): \(reason)", details: ["decision": "denied"])
            return .text("denied: \(reason)")
        case .allow:
            try await record(.decision, message, summary: "allowed \(summary)", details: ["decision": "allowed"])
            try await run(request, for: message, via: adapter)
            return nil
        case .allowAfterConfirmation(let within):
            let id = StewardID.make(now: now())
            _ = approvals.awaitConfirmation(id: id, requester: identity, room: room, summary: summary, within: within)
            pending[id] = PendingJob(request: request, requester: message, summary: summary)
            try await record(.decision, message, summary: "confirmation asked for \(summary)", details: ["decision": "confirm"])
            return .text("\(summary): reply `yes` within \(Int(within.components.seconds)) s to go ahead")
        case .requiresApproval(let roles, let expires):
            let id = String(StewardID.make(now: now()).suffix(8))
            let ticket = try approvals.request(id: id, requester: identity, summary: summary, approverRoles: roles, expires: expires)
            pending[ticket.id] = PendingJob(request: request, requester: message, summary: summary)
            try await record(.decision, message, summary: "approval requested for \(summary)", details: ["decision": "approval", "ticket": ticket.id])
            dispatcher.events.emit(.approvalRequested(
                ticket: ticket.id, summary: summary, requester: message.displayName, approverRoles: roles))
            return ChatReply(
                [.text("\(summary) needs approval by someone with role \(roles.joined(separator: " or ")) (not \(message.displayName)): `approve \(ticket.id)` or `deny \(ticket.id)`")],
                actions: [
                    ChatAction(label: "Approve", command: "approve \(ticket.id)", style: .primary),
                    ChatAction(label: "Deny", command: "deny \(ticket.id)", style: .danger),
                ])
        }
    }

    func confirm(_ message: ChatMessage, identity: ChatPolicy.Identity, room: String, via adapter: any ChatAdapter) async throws -> ChatReply? {
        switch approvals.confirm(by: identity, room: room) {
        case .confirmed(let confirmation):
            guard let job = pending.removeValue(forKey: confirmation.id) else { return .text("nothing is waiting for your confirmation") }
            try await record(.confirmation, message, summary: "confirmed \(job.summary)")
            try await run(job.request, for: job.requester, via: adapter)
            return nil
        case .expired(let confirmation):
            pending[confirmation.id] = nil
            return .text("too late: \(confirmation.summary) was not confirmed in time and will not run")
        case .cancelled, .nothingPending:
            return .text("nothing is waiting for your confirmation")
        }
    }

    func approve(id: String, _ message: ChatMessage, identity: ChatPolicy.Identity, via adapter: any ChatAdapter) async throws -> ChatReply? {
        switch approvals.approve(id, by: identity, roles: policy.roles(of: identity)) {
        case .approved(let ticket):
            guard let job = pending.removeValue(forKey: ticket.id) else { return .text("approval \(id) has nothing left to run") }
            try await record(.approval, message, summary: "approved \(ticket.summary) for \(ticket.requester)", details: ["ticket": ticket.id])
            await adapter.approvalClosed(ticket.id, .approved(by: identity))
            try await run(job.request, for: job.requester, via: adapter, approvedBy: message.displayName)
            return nil
        case .refused(let refusal):
            countRefusal(refusal)
            try await record(.approval, message, summary: "approval refused: \(refusal.reason)", details: ["ticket": id, "code": refusal.code.rawValue])
            if refusal.code == .expired { await adapter.approvalClosed(id, .expired) }
            return .text("cannot approve: \(refusal.reason)")
        case .denied(let ticket), .withdrawn(let ticket):
            return .text("approval \(ticket.id) is already closed")
        }
    }

    func deny(id: String, _ message: ChatMessage, identity: ChatPolicy.Identity, via adapter: any ChatAdapter) async throws -> ChatReply? {
        switch approvals.deny(id, by: identity, roles: policy.roles(of: identity)) {
        case .denied(let ticket), .withdrawn(let ticket):
            pending[ticket.id] = nil
            try await record(.approval, message, summary: "denied \(ticket.summary)", details: ["ticket": ticket.id])
            let withdrawn = ticket.requester == identity
            await adapter.approvalClosed(ticket.id, withdrawn ? .withdrawn(by: identity) : .denied(by: identity))
            return .text("\(ticket.summary) will not run (denied by \(message.displayName))")
        case .refused(let refusal):
            countRefusal(refusal)
            if refusal.code == .expired { await adapter.approvalClosed(id, .expired) }
            return .text("cannot deny: \(refusal.reason)")
        case .approved(let ticket):
            return .text("approval \(ticket.id) was already approved")
        }
    }

    /// Counts an approval or denial refused for who tried it; a late or unknown ticket is not a rejection.
    func countRefusal(_ refusal: ApprovalRefusal) {
        switch refusal.code {
        case .selfApproval: metrics.rejected(.chat, .selfApproval)
        case .notAnApprover: metrics.rejected(.chat, .notAnApprover)
        default: break
        }
    }

    /// Submits the job, acknowledges at once in the requester's room, then keeps that message up to date.
    func run(_ request: JobRequest, for requester: ChatMessage, via adapter: any ChatAdapter, approvedBy: String? = nil) async throws {
        let job = try await dispatcher.submit(request)
        try await record(.jobStarted, requester, summary: "job \(job.id) \(job.commandText) on \(job.target)", jobID: job.id)
        let askedBy = requester.displayName + (approvedBy.map { ", approved by \($0)" } ?? "")
        let first = try await database.jobView(id: job.id)
        let limit = adapter.capabilities.maxMessageLength
        let posted = try await adapter.post(
            ChatJobView.render(first, askedBy: askedBy, output: [:], limit: limit, consoleURL: consoleURL),
            room: requester.room, thread: requester.thread)
        // Progress posted as new lines (no edits) comes less often.
        let interval = adapter.capabilities.supportsEdits ? progressInterval : max(progressInterval, Self.lineProgressInterval)
        Task { [weak self] in
            await self?.follow(jobID: job.id, askedBy: askedBy, requester: requester, posted: posted, adapter: adapter, interval: interval)
        }
    }

    /// The least time between progress lines on platforms that post changed lines instead of editing.
    static let lineProgressInterval: Duration = .seconds(5)

    /// Edits the job's message as runs finish (coalesced) until every run is final.
    func follow(jobID: String, askedBy: String, requester: ChatMessage, posted: PostedMessage, adapter: any ChatAdapter, interval: Duration) async {
        var coalescer = EditCoalescer(interval: interval)
        let limit = adapter.capabilities.maxMessageLength
        do {
            while true {
                let view = try await database.jobView(id: jobID)
                let final = view.runs.allSatisfy(\.final)
                let reply = ChatJobView.render(view, askedBy: askedBy, output: try await outputs(of: view), limit: limit, consoleURL: consoleURL)
                if coalescer.shouldSend(reply, at: .now, final: final) {
                    if adapter.capabilities.supportsEdits || adapter.capabilities.postsChangedLines {
                        try await adapter.edit(posted, with: reply)
                    } else if final {
                        _ = try await adapter.post(reply, room: posted.room, thread: posted.thread)
                    }
                }
                if final {
                    try await record(.jobFinished, requester, summary: JobReport.summary(view), jobID: jobID)
                    return
                }
                try await Task.sleep(for: .milliseconds(250))
            }
        } catch {
            logger.error("following a chat job failed", metadata: ["job.id": "\(jobID)", "error": "\(error)"])
        }
    }

    /// Each host's output so far, as text.
    func outputs(of job: API.Job) async throws -> [String: String] {
        var texts: [String: String] = [:]
        let names = Dictionary(job.runs.map { ($0.agentID, $0.agentName) }, uniquingKeysWith: { first, _ in first })
        var cursor: Int64 = 0
        while true {
            let chunks = try await database.output(jobID: job.id, agentID: nil, afterSeq: cursor, limit: 500)
            for chunk in chunks { texts[names[chunk.agentID] ?? chunk.agentID, default: ""] += String(decoding: chunk.data, as: UTF8.self) }
            guard chunks.count == 500, let last = chunks.last?.seq else { break }
            cursor = last
        }
        return texts.mapValues { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 }
    }
}
