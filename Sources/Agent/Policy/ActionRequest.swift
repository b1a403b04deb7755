/// What a signed job asks this agent to do, as far as the local policy is concerned.
public enum ActionRequest: Sendable, Hashable {
    case ping
    case facts
    case metrics
    case service(op: ServiceOperation, unit: String)
    case reboot
    /// A named command from the agent's allowlist, with extra arguments appended to its argv.
    case exec(name: String, args: [String])
    case shell(String)
}
