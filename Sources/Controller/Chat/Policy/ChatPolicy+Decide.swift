extension ChatPolicy {
    /// How many host names a denial lists before summarising the rest.
    static let deniedHostsShown = 5

    /// Default deny: every resolved host must be covered by some rule for this permission in this room.
    /// Per host the most permissive covering rule wins; the request then needs the strictest gate any of
    /// its hosts needs, because it runs as one job.
    public func decide(_ request: ChatAuthorizationRequest) -> ChatDecision {
        if Self.alwaysAllowed.contains(request.permission) { return .allow }
        let who = describe(request)
        guard ChatPermission.isConcrete(request.permission) else {
            return .deny(reason: "\(who) asked for \(request.permission.debugDescription), which is not a command")
        }
        let granting = rules(of: request.identity).filter { $0.allows(permission: request.permission) }
        guard !granting.isEmpty else {
            return .deny(reason: "\(who) may not run \(request.permission)\(hostList(request.targets))")
        }
        let inRoom = granting.filter { $0.rooms.contains(request.room) }
        guard !inRoom.isEmpty else {
            return .deny(reason: "\(who) may not run \(request.permission) in \(request.room)\(roomHint(granting))")
        }
        guard !request.targets.isEmpty else { return decision(for: Self.mostPermissive(inRoom.map(\.gate)), who: who) }
        var gates: [ChatPolicyRule.Gate] = []
        var uncovered: [ChatPolicy.Target] = []
        for target in request.targets {
            let covering = inRoom.filter { $0.covers(target) }
            if covering.isEmpty {
                uncovered.append(target)
            } else {
                gates.append(Self.mostPermissive(covering.map(\.gate)))
            }
        }
        guard uncovered.isEmpty else {
            return .deny(reason: "\(who) may not run \(request.permission)\(hostList(uncovered))")
        }
        return decision(for: Self.strictest(gates), who: who)
    }

    private func decision(for gate: ChatPolicyRule.Gate?, who: String) -> ChatDecision {
        switch gate {
        case .immediate?: .allow
        case .confirm(let within)?: .allowAfterConfirmation(within: within)
        case .approval(let roles, let expires)?: .requiresApproval(approverRoles: roles, expires: expires)
        case nil: .deny(reason: "the hosts of this request need approval from different roles; \(who) should ask for them separately")
        }
    }

    /// Among rules that all allow the same thing, the lightest gate; ties widen (longer windows, more approver roles).
    static func mostPermissive(_ gates: [ChatPolicyRule.Gate]) -> ChatPolicyRule.Gate {
        let lightest = gates.map(\.strictness).min() ?? 0
        var result: ChatPolicyRule.Gate?
        for gate in gates where gate.strictness == lightest {
            switch (result, gate) {
            case (nil, _): result = gate
            case (.confirm(let a)?, .confirm(let b)): result = .confirm(within: max(a, b))
            case (.approval(let rolesA, let a)?, .approval(let rolesB, let b)):
                result = .approval(approverRoles: rolesA + rolesB.filter { !rolesA.contains($0) }, expires: max(a, b))
            default: break
            }
        }
        return result ?? .immediate
    }

    /// The gate a whole request needs: the heaviest of its hosts' gates. Approver roles must satisfy every
    /// host, so they intersect; `nil` when no single role could approve all of them.
    static func strictest(_ gates: [ChatPolicyRule.Gate]) -> ChatPolicyRule.Gate? {
        let heaviest = gates.map(\.strictness).max() ?? 0
        var result: ChatPolicyRule.Gate?
        for gate in gates where gate.strictness == heaviest {
            switch (result, gate) {
            case (nil, _): result = gate
            case (.confirm(let a)?, .confirm(let b)): result = .confirm(within: min(a, b))
            case (.approval(let rolesA, let a)?, .approval(let rolesB, let b)):
                let common = rolesA.filter { rolesB.contains($0) }
                guard !common.isEmpty else { return nil }
                result = .approval(approverRoles: common, expires: min(a, b))
            default: break
            }
        }
        return result ?? .immediate
    }

    /// "bob (operator, viewer)": the name people know, and the roles that decided.
    private func describe(_ request: ChatAuthorizationRequest) -> String {
        let name = request.displayName.flatMap { $0.isEmpty ? nil : $0 } ?? request.identity.description
        let roles = roles(of: request.identity)
        return "\(name) (\(roles.isEmpty ? "no roles" : roles.joined(separator: ", ")))"
    }

    private func hostList(_ targets: [ChatPolicy.Target]) -> String {
        guard !targets.isEmpty else { return "" }
        var text = " on " + targets.prefix(Self.deniedHostsShown).map(\.name).joined(separator: ", ")
        if targets.count > Self.deniedHostsShown { text += " and \(targets.count - Self.deniedHostsShown) more" }
        return text
    }

    private func roomHint(_ rules: [ChatPolicyRule]) -> String {
        var rooms: [String] = []
        for rule in rules {
            if case .only(let listed) = rule.rooms { rooms += listed.filter { !rooms.contains($0) } }
        }
        return rooms.isEmpty ? "" : " (allowed in \(rooms.joined(separator: ", ")))"
    }
}
