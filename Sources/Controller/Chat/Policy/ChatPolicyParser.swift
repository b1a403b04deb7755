import Yams

/// Builds a `ChatPolicy` from a composed YAML document. Roles are read before identities so either may come
/// first in the file; the policy is only returned once everything, references and inheritance included,
/// has been checked, so it never loads half-way.
struct ChatPolicyParser {
    let reader: ChatPolicyNodeReader

    static let topLevelKeys: Set<String> = ["identities", "roles"]
    static let identityKeys: Set<String> = ["platform", "user", "roles"]
    static let roleKeys: Set<String> = ["inherits", "rules"]
    static let ruleKeys: Set<String> = ["commands", "targets", "rooms", "approval", "confirm"]
    static let approvalKeys: Set<String> = ["approvers", "expires"]
    static let confirmKeys: Set<String> = ["within"]
    /// A confirmation is a quick "are you sure"; an hour-old yes is no longer about the same situation.
    static let maxConfirmWindow: Duration = .seconds(3600)
    static let maxApprovalLifetime: Duration = .seconds(7 * 86_400)

    /// `nil` or a null document (an empty file, only comments) is the deny-all policy.
    func policy(from document: Node?) throws(PolicyFileError) -> ChatPolicy {
        guard let document, ChatPolicyNodeReader.tagName(of: document) != .null else { return .denyAll }
        var identitiesNode: Node?
        var rolesNode: Node?
        for entry in try reader.mapping(document, at: "", allowed: Self.topLevelKeys) {
            if entry.key == "roles" { rolesNode = entry.value } else { identitiesNode = entry.value }
        }
        var roles: [String: ChatPolicy.Role] = [:]
        var inheritNodes: [String: Node] = [:]
        if let rolesNode {
            let entries = try reader.mapping(rolesNode, at: "roles")
            let known = Set(entries.map(\.key))
            for entry in entries {
                let keyPath = "roles.\(entry.key)"
                guard ChatPermission.isCommandName(entry.key[...]) else {
                    throw reader.error(.invalidName, entry.keyNode, keyPath, "role names are 1-64 of [A-Za-z0-9._-], starting with a letter or digit")
                }
                roles[entry.key] = try role(entry.value, named: entry.key, at: keyPath, known: known, inheritNodes: &inheritNodes)
            }
        }
        let closures = try ChatPolicyInheritance(roles: roles, inheritNodes: inheritNodes, reader: reader).closures()
        let identities = try identitiesNode.map { node throws(PolicyFileError) in try self.identities(node, known: Set(roles.keys)) } ?? [:]
        return ChatPolicy(identities: identities, roles: roles, closures: closures)
    }

    private func role(
        _ node: Node, named name: String, at keyPath: String, known: Set<String>, inheritNodes: inout [String: Node]
    ) throws(PolicyFileError) -> ChatPolicy.Role {
        var role = ChatPolicy.Role(name: name, inherits: [], rules: [])
        // `viewer: {}` and `viewer:` (null) both declare a role with no rules of its own.
        guard ChatPolicyNodeReader.tagName(of: node) != .null else { return role }
        for entry in try reader.mapping(node, at: keyPath, allowed: Self.roleKeys) {
            let path = "\(keyPath).\(entry.key)"
            if entry.key == "inherits" {
                inheritNodes[name] = entry.value
                role.inherits = try roleNames(entry.value, at: path, known: known, nonEmpty: false)
            } else {
                for (index, item) in try reader.sequence(entry.value, at: path).enumerated() {
                    role.rules.append(try rule(item, at: "\(path)[\(index)]", known: known))
                }
            }
        }
        return role
    }

    private func rule(_ node: Node, at keyPath: String, known: Set<String>) throws(PolicyFileError) -> ChatPolicyRule {
        var rule = ChatPolicyRule(commands: [], targets: [], line: node.mark?.line)
        var gates: [ChatPolicyRule.Gate] = []
        for entry in try reader.mapping(node, at: keyPath, allowed: Self.ruleKeys, required: ["commands", "targets"]) {
            let path = "\(keyPath).\(entry.key)"
            switch entry.key {
            case "commands":
                rule.commands = try reader.strings(entry.value, at: path, nonEmpty: true) { (name: String, item: Node, itemPath: String) throws(PolicyFileError) in
                    guard ChatPermission.isValidPattern(name) else {
                        throw reader.error(
                            .unknownCommand, item, itemPath,
                            "\(name.debugDescription) is not a command (use \(ChatPermission.plain.joined(separator: ", ")), service.<op>, exec:<name> or *)")
                    }
                }
            case "targets": rule.targets = try targets(entry.value, at: path)
            case "rooms": rule.rooms = try rooms(entry.value, at: path)
            case "confirm":
                let fields = try reader.mapping(entry.value, at: path, allowed: Self.confirmKeys, required: ["within"])
                gates.append(.confirm(within: try reader.duration(fields[0].value, at: "\(path).within", maximum: Self.maxConfirmWindow)))
            default:
                gates.append(try approval(entry.value, at: path, known: known))
            }
        }
        guard gates.count <= 1 else {
            throw reader.error(.conflictingGates, node, keyPath, "a rule takes either confirm or approval, not both")
        }
        rule.gate = gates.first ?? .immediate
        return rule
    }

    private func approval(_ node: Node, at keyPath: String, known: Set<String>) throws(PolicyFileError) -> ChatPolicyRule.Gate {
        var approvers: [String] = []
        var expires: Duration?
        let entries = try reader.mapping(node, at: keyPath, allowed: Self.approvalKeys)
        for entry in entries {
            let path = "\(keyPath).\(entry.key)"
            if entry.key == "expires" {
                expires = try reader.duration(entry.value, at: path, maximum: Self.maxApprovalLifetime)
            } else if case .sequence(let list) = entry.value, list.isEmpty {
                throw reader.error(.missingApprover, entry.value, path, "an approval must name at least one approver role")
            } else {
                approvers = try roleNames(entry.value, at: path, known: known, nonEmpty: true)
            }
        }
        guard !approvers.isEmpty else {
            throw reader.error(.missingApprover, node, keyPath, "an approval must name at least one approver role in 'approvers'")
        }
        guard let expires else { throw reader.error(.missingKey, node, keyPath, "'expires' is required (e.g. expires: 30m)") }
        return .approval(approverRoles: approvers, expires: expires)
    }

    private func targets(_ node: Node, at keyPath: String) throws(PolicyFileError) -> [TargetSelector] {
        var selectors: [TargetSelector] = []
        for (item, path) in try reader.oneOrMore(node, at: keyPath) {
            let text = try reader.string(item, at: path)
            do {
                selectors.append(try TargetSelector(parsing: text))
            } catch {
                throw reader.error(.invalidSelector, item, path, "\(text.debugDescription) is not a target selector: \(error)")
            }
        }
        return selectors
    }

    private func rooms(_ node: Node, at keyPath: String) throws(PolicyFileError) -> ChatPolicyRule.Rooms {
        if case .scalar(let scalar) = node, scalar.string == "any" { return .any }
        var rooms: [String] = []
        for (item, path) in try reader.oneOrMore(node, at: keyPath) {
            let room = try reader.string(item, at: path)
            let parts = room.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, Self.isPlatform(parts[0]), !parts[1].isEmpty, !room.contains(where: \.isWhitespace) else {
                throw reader.error(.invalidRoom, item, path, "\(room.debugDescription) is not a room: use any, platform:room or platform:*")
            }
            rooms.append(room)
        }
        return .only(rooms)
    }

    private func identities(_ node: Node, known: Set<String>) throws(PolicyFileError) -> [ChatPolicy.Identity: [String]] {
        var identities: [ChatPolicy.Identity: [String]] = [:]
        for (index, item) in try reader.sequence(node, at: "identities").enumerated() {
            let keyPath = "identities[\(index)]"
            var platform = "", user = "", roles: [String] = []
            for entry in try reader.mapping(item, at: keyPath, allowed: Self.identityKeys, required: ["platform", "user", "roles"]) {
                let path = "\(keyPath).\(entry.key)"
                switch entry.key {
                case "platform":
                    platform = try reader.string(entry.value, at: path)
                    guard Self.isPlatform(platform[...]) else {
                        throw reader.error(.invalidName, entry.value, path, "platforms are 1-32 of [a-z0-9-], starting with a letter (slack, matrix, terminal, ...)")
                    }
                case "user":
                    user = try reader.string(entry.value, at: path)
                    guard user.utf8.count <= 256, !user.contains(where: \.isWhitespace) else {
                        throw reader.error(.invalidName, entry.value, path, "user ids are the platform's immutable id: at most 256 characters, no spaces")
                    }
                default: roles = try roleNames(entry.value, at: path, known: known, nonEmpty: true)
                }
            }
            let identity = ChatPolicy.Identity(platform: platform, userID: user)
            guard identities[identity] == nil else {
                throw reader.error(.duplicateIdentity, item, keyPath, "\(identity) is listed twice; give it all its roles in one entry")
            }
            identities[identity] = roles
        }
        return identities
    }

    private func roleNames(_ node: Node, at keyPath: String, known: Set<String>, nonEmpty: Bool) throws(PolicyFileError) -> [String] {
        try reader.strings(node, at: keyPath, nonEmpty: nonEmpty) { (name: String, item: Node, itemPath: String) throws(PolicyFileError) in
            guard known.contains(name) else {
                throw reader.error(.unknownRole, item, itemPath, "no role named \(name.debugDescription) (defined: \(known.sorted().joined(separator: ", ")))")
            }
        }
    }

    static func isPlatform(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, first >= 0x61, first <= 0x7A, text.utf8.count <= 32 else { return false }
        return text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") }
    }
}
