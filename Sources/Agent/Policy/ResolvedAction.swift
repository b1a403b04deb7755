/// What an allowed request turns into on this agent, with every value taken from the policy.
public enum ResolvedAction: Sendable, Hashable {
    /// An allowlisted command (or, where enabled, `/bin/sh -c`) ready for `CommandRunner`.
    case command(CommandSpec)
    /// A service operation for `ServiceManager`; the unit name has been validated.
    case service(op: ServiceOperation, unit: String)
    /// The argv that reboots the host (`system.reboot_command`).
    case reboot(argv: [String])
}
