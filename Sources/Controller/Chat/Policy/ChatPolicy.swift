/// The controller's `policy.yaml`: chat identities map to roles, roles hold rules (commands × targets ×
/// rooms), and everything not allowed by a rule is denied.
///
/// Built only by `parse(yaml:path:)` / `load(path:)`, which validate the whole file first, so a value of
/// this type is always complete and cycle-free.
public struct ChatPolicy: Sendable, Hashable {
    /// Who is asking: a platform and that platform's immutable user id (display names are never trusted).
    public struct Identity: Sendable, Hashable, CustomStringConvertible {
        /// Lowercase platform name: `slack`, `matrix`, `irc`, `terminal`, `web`.
        public var platform: String
        public var userID: String

        public init(platform: String, userID: String) {
            self.platform = platform
            self.userID = userID
        }

        public var description: String { "\(platform):\(userID)" }
    }

    /// One resolved host of a request, as the target selectors see it.
    public struct Target: Sendable, Hashable {
        public var name: String
        public var labels: [String: String]

        public init(name: String, labels: [String: String] = [:]) {
            self.name = name
            self.labels = labels
        }
    }

    /// A named set of rules, plus the roles whose rules it also gets.
    public struct Role: Sendable, Hashable {
        public var name: String
        public var inherits: [String]
        public var rules: [ChatPolicyRule]
    }

    /// Roles assigned to each identity in the file, in file order.
    public internal(set) var identities: [Identity: [String]]
    public internal(set) var roles: [String: Role]
    /// Each role followed by every role it inherits, directly or not (breadth first, no repeats).
    let closures: [String: [String]]

    /// The policy used when there is no file: nobody may run anything but `help` and `whoami`.
    public static let denyAll = ChatPolicy(identities: [:], roles: [:], closures: [:])

    /// Commands everyone may run, known to the policy or not: they reveal only the asker's own rights.
    public static let alwaysAllowed: Set<String> = ["help", "whoami"]

    /// The identity's roles with everything they inherit, assigned roles first; empty for strangers.
    public func roles(of identity: Identity) -> [String] {
        var result: [String] = []
        for role in identities[identity] ?? [] {
            for name in closures[role] ?? [role] where !result.contains(name) {
                result.append(name)
            }
        }
        return result
    }

    /// Every permission the identity may use in `room` (on some targets), sorted; wildcards in the file
    /// are expanded to the concrete names, except `exec:*`, which stands for any named command.
    public func permittedCommands(for identity: Identity, room: String) -> [String] {
        var names = Self.alwaysAllowed
        for rule in rules(of: identity) where rule.rooms.contains(room) {
            for pattern in rule.commands {
                names.formUnion(ChatPermission.expand(pattern))
            }
        }
        return names.sorted()
    }

    /// Every rule the identity holds through its roles.
    func rules(of identity: Identity) -> [ChatPolicyRule] {
        roles(of: identity).flatMap { self.roles[$0]?.rules ?? [] }
    }
}
