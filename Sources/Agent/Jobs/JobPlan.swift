import StewardProtocol

/// What the agent will do for a verified job, as its local policy resolved it.
public enum JobPlan: Sendable, Hashable {
    case ping
    case facts
    case metrics
    /// `spec` is the service manager command the policy resolved (e.g. `systemctl restart nginx`).
    case service(ServiceOperation, unit: String, spec: CommandSpec)
    /// A named command from the policy's allowlist, as argv with its timeout and output cap.
    case exec(CommandSpec)
    /// `spec` is the policy's `system.reboot_command`.
    case reboot(CommandSpec)
}

extension JobPlan {
    /// Answered from inside the agent (no process, no side effect): ping, facts, metrics.
    public var isInProcess: Bool {
        switch self {
        case .ping, .facts, .metrics: true
        case .service, .exec, .reboot: false
        }
    }
}

/// The local policy's answer for one verified job.
public enum JobAuthorization: Sendable, Hashable {
    case allow(JobPlan)
    case deny(code: String, reason: String)
}

/// Applies the agent's local policy to a verified job spec.
///
/// A closure so the supervisor does not depend on how the policy is stored; `AgentPolicy` provides
/// the production one.
public struct JobAuthorizer: Sendable {
    public var decide: @Sendable (Wire.JobSpec) -> JobAuthorization

    public init(decide: @escaping @Sendable (Wire.JobSpec) -> JobAuthorization) {
        self.decide = decide
    }
}
