/// The agent's local policy (`/etc/steward/agent.yaml`): what this host lets the controller do.
///
/// Default deny: without a file only ping, facts and metrics are allowed. A compromised chat
/// account or controller cannot exceed what this file grants.
public struct AgentPolicy: Sendable, Hashable {
    public static let defaultPath = "/etc/steward/agent.yaml"
    /// The policy used when no file exists.
    public static let `default` = AgentPolicy()

    /// Allowed operations per service unit name (exact names, as given to the service manager).
    public var services: [String: Set<ServiceOperation>]
    public var rebootAllowed: Bool
    /// Allowlisted commands by name.
    public var commands: [String: CommandRule]
    /// Whether `shell "..."` may run at all (the controller policy must allow it too).
    public var shellAllowed: Bool
    public var limits: Limits
    public var system: SystemSettings

    public init(
        services: [String: Set<ServiceOperation>] = [:],
        rebootAllowed: Bool = false,
        commands: [String: CommandRule] = [:],
        shellAllowed: Bool = false,
        limits: Limits = Limits(),
        system: SystemSettings = SystemSettings()
    ) {
        self.services = services
        self.rebootAllowed = rebootAllowed
        self.commands = commands
        self.shellAllowed = shellAllowed
        self.limits = limits
        self.system = system
    }
}
