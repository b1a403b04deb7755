import StewardProtocol

extension JobAuthorizer {
    /// Codes for jobs the policy cannot even be asked about.
    public enum DenialCode {
        public static let unsupportedAction = "unsupported_action"
    }

    /// The production authorizer: the wire action becomes an `ActionRequest`, `AgentPolicy.decide`
    /// judges it, and what it resolved becomes the plan. A job's `timeout_ms` may shorten the
    /// policy's time limit, never extend it.
    public static func policy(_ policy: AgentPolicy, serviceManager: ServiceManager) -> JobAuthorizer {
        JobAuthorizer { spec in
            guard let request = ActionRequest(wire: spec.action) else {
                return .deny(code: DenialCode.unsupportedAction, reason: "this agent does not know action \(spec.action.kind)")
            }
            switch policy.decide(request) {
            case .deny(let code, let reason):
                return .deny(code: code.rawValue, reason: reason)
            case .allow(let resolved):
                return plan(for: request, resolved: resolved, policy: policy, serviceManager: serviceManager, timeoutMs: spec.timeoutMs)
            }
        }
    }

    private static func plan(
        for request: ActionRequest,
        resolved: ResolvedAction?,
        policy: AgentPolicy,
        serviceManager: ServiceManager,
        timeoutMs: UInt32
    ) -> JobAuthorization {
        switch resolved {
        case nil:
            switch request {
            case .ping: return .allow(.ping)
            case .facts: return .allow(.facts)
            case .metrics: return .allow(.metrics)
            default: return .deny(code: DenialCode.unsupportedAction, reason: "the policy resolved nothing to run")
            }
        case .command(let command):
            return .allow(.exec(command.capped(timeoutMs: timeoutMs)))
        case .service(let operation, let unit):
            do {
                let command = try serviceManager.commandSpec(operation, unit: unit)
                return .allow(.service(operation, unit: unit, spec: command.capped(timeoutMs: timeoutMs)))
            } catch {
                return .deny(code: error.code.rawValue, reason: error.detail)
            }
        case .reboot(let argv):
            guard let executable = argv.first else {
                return .deny(code: DenialCode.unsupportedAction, reason: "system.reboot_command is empty")
            }
            return .allow(.reboot(CommandSpec(
                executable: executable, arguments: Array(argv.dropFirst()),
                timeout: policy.limits.defaultTimeout, outputLimit: policy.limits.outputMaxBytes)))
        }
    }
}

extension ActionRequest {
    /// The policy's view of a wire action; nil for kinds this build does not know.
    fileprivate init?(wire action: Wire.Action) {
        switch action.kind {
        case .ping: self = .ping
        case .facts: self = .facts
        case .metrics: self = .metrics
        case .reboot: self = .reboot
        case .exec: self = .exec(name: action.command, args: action.arguments)
        case .service:
            guard let operation = ServiceOperation(wire: action.serviceOperation) else { return nil }
            self = .service(op: operation, unit: action.service)
        case .unspecified, .UNRECOGNIZED:
            return nil
        }
    }
}

extension ServiceOperation {
    fileprivate init?(wire: Wire.ServiceOperation) {
        switch wire {
        case .status: self = .status
        case .start: self = .start
        case .stop: self = .stop
        case .restart: self = .restart
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}

extension CommandSpec {
    /// The controller may ask for a shorter limit than the policy's, never a longer one.
    func capped(timeoutMs: UInt32) -> CommandSpec {
        guard timeoutMs > 0 else { return self }
        var copy = self
        copy.timeout = min(timeout, .milliseconds(Int64(timeoutMs)))
        return copy
    }
}
