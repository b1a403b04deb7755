/// One `rules` entry of a role: which commands, on which targets, in which rooms, behind which gate.
public struct ChatPolicyRule: Sendable, Hashable {
    /// Where a rule applies: anywhere, or only in the listed `platform:room` ids (`platform:*` for a whole platform).
    public enum Rooms: Sendable, Hashable {
        case any
        case only([String])

        public func contains(_ room: String) -> Bool {
            switch self {
            case .any: return true
            case .only(let rooms):
                return rooms.contains { entry in
                    entry == room || (entry.hasSuffix(":*") && room.hasPrefix(entry.dropLast()))
                }
            }
        }
    }

    /// What must happen before an allowed command runs.
    public enum Gate: Sendable, Hashable {
        /// Runs at once.
        case immediate
        /// The requester must answer `yes` within the limit.
        case confirm(within: Duration)
        /// Someone else holding one of these roles must approve before it expires.
        case approval(approverRoles: [String], expires: Duration)

        /// Lower is more permissive: what "the most permissive rule wins" compares.
        var strictness: Int {
            switch self {
            case .immediate: 0
            case .confirm: 1
            case .approval: 2
            }
        }
    }

    /// Permission names or patterns: `ping`, `service.restart`, `service.*`, `exec:disk-usage`, `exec:*`, `*`.
    public var commands: [String]
    /// The rule covers a host when any of these selectors matches it.
    public var targets: [TargetSelector]
    public var rooms: Rooms
    public var gate: Gate
    /// Where the rule starts in the file, for audit and error messages.
    public var line: Int?

    public init(commands: [String], targets: [TargetSelector], rooms: Rooms = .any, gate: Gate = .immediate, line: Int? = nil) {
        self.commands = commands
        self.targets = targets
        self.rooms = rooms
        self.gate = gate
        self.line = line
    }

    func allows(permission: String) -> Bool {
        commands.contains { ChatPermission.pattern($0, matches: permission) }
    }

    func covers(_ target: ChatPolicy.Target) -> Bool {
        targets.contains { $0.matches(name: target.name, labels: target.labels) }
    }
}
