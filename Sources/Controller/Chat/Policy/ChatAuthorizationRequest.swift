/// One question to the chat policy: may this person run this command, here, on these hosts?
public struct ChatAuthorizationRequest: Sendable, Hashable {
    public var identity: ChatPolicy.Identity
    /// Used only to word the reply; never for the decision.
    public var displayName: String?
    /// `platform:room`, e.g. `slack:C123`, `terminal:local`, `web:console`.
    public var room: String
    /// A concrete permission name: `reboot`, `service.restart`, `exec:disk-usage` (see `ChatPermission`).
    public var permission: String
    /// Every host the command's selector resolved to; empty for commands without targets (`job`, `approve`).
    public var targets: [ChatPolicy.Target]

    public init(
        identity: ChatPolicy.Identity, displayName: String? = nil, room: String, permission: String,
        targets: [ChatPolicy.Target] = []
    ) {
        self.identity = identity
        self.displayName = displayName
        self.room = room
        self.permission = permission
        self.targets = targets
    }
}

/// What the policy says about a `ChatAuthorizationRequest`.
public enum ChatDecision: Sendable, Hashable {
    case allow
    /// The requester must answer `yes` within this time.
    case allowAfterConfirmation(within: Duration)
    /// Someone else holding one of these roles must approve before it expires.
    case requiresApproval(approverRoles: [String], expires: Duration)
    /// A reason for the requester, naming what is missing: "bob (viewer) may not run reboot on web-01".
    case deny(reason: String)

    public var isDenied: Bool {
        if case .deny = self { return true }
        return false
    }
}
