extension AgentPolicy {
    /// The longest extra argument accepted, which also bounds the work of matching `arg_pattern`.
    public static let maxArgumentLength = 4096

    /// Decides one request; pure, so it can be evaluated for every job and tested as a table.
    public func decide(_ request: ActionRequest) -> PolicyDecision {
        switch request {
        case .ping, .facts, .metrics:
            return .allow(resolved: nil)
        case .service(let operation, let unit):
            return decideService(operation, unit: unit)
        case .reboot:
            guard rebootAllowed else {
                return .deny(code: .rebootDisabled, reason: "reboot is disabled by the agent policy")
            }
            return .allow(resolved: .reboot(argv: system.rebootCommand))
        case .exec(let name, let args):
            return decideExec(name, args: args)
        case .shell(let script):
            guard shellAllowed else {
                return .deny(code: .shellDisabled, reason: "shell is disabled by the agent policy")
            }
            guard !script.utf8.contains(0) else {
                return .deny(code: .argumentRejected, reason: "the shell script contains a NUL byte")
            }
            let spec = CommandSpec(
                executable: "/bin/sh", arguments: ["-c", script],
                timeout: limits.defaultTimeout, outputLimit: limits.outputMaxBytes)
            return .allow(resolved: .command(spec))
        }
    }

    private func decideService(_ operation: ServiceOperation, unit: String) -> PolicyDecision {
        if let problem = ServiceUnitName.problem(with: unit) {
            return .deny(code: .invalidUnitName, reason: problem)
        }
        guard let allowed = services[unit] else {
            return .deny(code: .serviceNotAllowed, reason: "service '\(unit)' op '\(operation)' not allowed")
        }
        guard allowed.contains(operation) else {
            let listed = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            return .deny(
                code: .operationNotAllowed,
                reason: "service '\(unit)' op '\(operation)' not allowed (allowed: \(listed.isEmpty ? "none" : listed))")
        }
        return .allow(resolved: .service(op: operation, unit: unit))
    }

    private func decideExec(_ name: String, args: [String]) -> PolicyDecision {
        guard let rule = commands[name] else {
            return .deny(code: .commandNotAllowed, reason: "command '\(Self.shown(name))' is not in the agent allowlist")
        }
        guard args.count <= rule.maxArgs else {
            return .deny(
                code: .tooManyArguments,
                reason: "command '\(name)' takes at most \(rule.maxArgs) extra argument(s), got \(args.count)")
        }
        for (index, argument) in args.enumerated() {
            let position = "argument \(index + 1) of command '\(name)'"
            guard argument.utf8.count <= Self.maxArgumentLength, !argument.utf8.contains(0) else {
                return .deny(code: .argumentRejected, reason: "\(position) is longer than \(Self.maxArgumentLength) bytes or contains NUL")
            }
            // Parsing guarantees a pattern whenever maxArgs > 0; a missing one still denies.
            guard let pattern = rule.argPattern, pattern.matches(argument) else {
                return .deny(
                    code: .argumentRejected,
                    reason: "\(position) (\(Self.shown(argument))) does not match \(rule.argPattern?.source ?? "any pattern")")
            }
        }
        guard let executable = rule.argv.first else {
            return .deny(code: .commandNotAllowed, reason: "command '\(name)' has an empty argv")
        }
        let spec = CommandSpec(
            executable: executable,
            arguments: Array(rule.argv.dropFirst()) + args,
            environment: rule.environment,
            timeout: rule.timeout ?? limits.defaultTimeout,
            outputLimit: limits.outputMaxBytes)
        return .allow(resolved: .command(spec))
    }

    /// A requester-supplied value quoted for a reason: escaped and cut short.
    private static func shown(_ text: String) -> String {
        let escaped = text.unicodeScalars.map { $0.escaped(asASCII: false) }.joined()
        return escaped.count > 64 ? String(escaped.prefix(64)) + "…" : escaped
    }
}
