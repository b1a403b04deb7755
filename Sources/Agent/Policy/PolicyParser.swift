import Yams

/// Builds an `AgentPolicy` from a composed YAML document, section by section.
///
/// Every key is known or rejected, every value typed; the result is only returned once the whole
/// document has been read, so a policy never loads half-way.
struct PolicyParser {
    let reader: PolicyNodeReader

    static let topLevelKeys: Set<String> = ["services", "reboot", "commands", "shell", "limits", "system"]
    static let commandKeys: Set<String> = ["argv", "timeout", "max_args", "arg_pattern", "env", "user"]
    static let limitKeys: Set<String> = ["output_max_bytes", "default_timeout", "max_concurrent_jobs", "spool_max_bytes"]
    static let systemKeys: Set<String> = ["service_manager", "reboot_command", "boot_id_file"]

    /// `nil` or a null document (an empty file, only comments, a bare `---`) is the default policy.
    func policy(from document: Node?) throws(PolicyError) -> AgentPolicy {
        var policy = AgentPolicy()
        guard let document, PolicyNodeReader.tagName(of: document) != .null else { return policy }
        for entry in try reader.mapping(document, at: "", allowed: Self.topLevelKeys) {
            switch entry.key {
            case "services": policy.services = try services(entry.value)
            case "reboot": policy.rebootAllowed = try reader.bool(entry.value, at: "reboot")
            case "commands": policy.commands = try commands(entry.value)
            case "shell": policy.shellAllowed = try reader.bool(entry.value, at: "shell")
            case "limits": policy.limits = try limits(entry.value)
            case "system": policy.system = try system(entry.value)
            default: preconditionFailure("key \(entry.key) passed the allowed-key check but has no parser")
            }
        }
        return policy
    }

    private func services(_ node: Node) throws(PolicyError) -> [String: Set<ServiceOperation>] {
        var services: [String: Set<ServiceOperation>] = [:]
        for entry in try reader.mapping(node, at: "services") {
            let keyPath = "services.\(entry.key)"
            if let problem = ServiceUnitName.problem(with: entry.key) {
                throw reader.error(.invalidName, entry.keyNode, keyPath, problem)
            }
            var operations: Set<ServiceOperation> = []
            for (index, element) in try reader.sequence(entry.value, at: keyPath).enumerated() {
                let name = try reader.string(element, at: "\(keyPath)[\(index)]")
                guard let operation = ServiceOperation(rawValue: name) else {
                    let known = ServiceOperation.allCases.map(\.rawValue).joined(separator: ", ")
                    throw reader.error(
                        .invalidValue, element, "\(keyPath)[\(index)]",
                        "\(name.debugDescription) is not a service operation (expected one of: \(known))")
                }
                operations.insert(operation)
            }
            services[entry.key] = operations
        }
        return services
    }

    private func commands(_ node: Node) throws(PolicyError) -> [String: AgentPolicy.CommandRule] {
        var commands: [String: AgentPolicy.CommandRule] = [:]
        for entry in try reader.mapping(node, at: "commands") {
            let keyPath = "commands.\(entry.key)"
            guard Self.isCommandName(entry.key) else {
                throw reader.error(
                    .invalidName, entry.keyNode, keyPath,
                    "command names are 1-64 of [A-Za-z0-9._-], starting with a letter or digit")
            }
            commands[entry.key] = try command(entry.value, at: keyPath)
        }
        return commands
    }

    private func command(_ node: Node, at keyPath: String) throws(PolicyError) -> AgentPolicy.CommandRule {
        var argv: [String]?
        var rule = AgentPolicy.CommandRule(argv: [])
        var maxArgsNode: Node?
        for entry in try reader.mapping(node, at: keyPath, allowed: Self.commandKeys) {
            let path = "\(keyPath).\(entry.key)"
            switch entry.key {
            case "argv": argv = try reader.argv(entry.value, at: path, allowBareName: false)
            case "timeout": rule.timeout = try reader.duration(entry.value, at: path)
            case "max_args":
                rule.maxArgs = try reader.int(entry.value, at: path, in: 0...64)
                maxArgsNode = entry.value
            case "arg_pattern": rule.argPattern = try pattern(entry.value, at: path)
            case "env": rule.environment = try environment(entry.value, at: path)
            case "user":
                guard PolicyNodeReader.tagName(of: entry.value) == .null else {
                    throw reader.error(
                        .unsupported, entry.value, path,
                        "running commands as another user is not supported yet; remove the key or set it to null")
                }
            default: preconditionFailure("key \(entry.key) passed the allowed-key check but has no parser")
            }
        }
        guard let argv else {
            throw reader.error(.missingKey, node, keyPath, "argv is required")
        }
        rule.argv = argv
        if rule.maxArgs > 0 && rule.argPattern == nil {
            // Extra arguments without a pattern would let a job pass anything.
            throw reader.error(
                .missingKey, maxArgsNode ?? node, "\(keyPath).arg_pattern", "arg_pattern is required when max_args > 0")
        }
        return rule
    }

    private func pattern(_ node: Node, at keyPath: String) throws(PolicyError) -> ArgumentPattern {
        let source = try reader.string(node, at: keyPath)
        do {
            return try ArgumentPattern(source)
        } catch {
            throw reader.error(.invalidPattern, node, keyPath, "\(source.debugDescription) is not a valid regular expression: \(error)")
        }
    }

    private func environment(_ node: Node, at keyPath: String) throws(PolicyError) -> [String: String] {
        var environment: [String: String] = [:]
        for entry in try reader.mapping(node, at: keyPath) {
            let path = "\(keyPath).\(entry.key)"
            guard Self.isVariableName(entry.key) else {
                throw reader.error(.invalidName, entry.keyNode, path, "variable names are [A-Za-z_][A-Za-z0-9_]*")
            }
            environment[entry.key] = try reader.string(entry.value, at: path)
        }
        return environment
    }

    private func limits(_ node: Node) throws(PolicyError) -> AgentPolicy.Limits {
        var limits = AgentPolicy.Limits()
        for entry in try reader.mapping(node, at: "limits", allowed: Self.limitKeys) {
            let path = "limits.\(entry.key)"
            switch entry.key {
            case "output_max_bytes": limits.outputMaxBytes = try reader.int(entry.value, at: path, in: 1...(1 << 30))
            case "default_timeout": limits.defaultTimeout = try reader.duration(entry.value, at: path)
            case "max_concurrent_jobs": limits.maxConcurrentJobs = try reader.int(entry.value, at: path, in: 1...1024)
            case "spool_max_bytes": limits.spoolMaxBytes = try reader.int(entry.value, at: path, in: (1 << 20)...(1 << 40))
            default: preconditionFailure("key \(entry.key) passed the allowed-key check but has no parser")
            }
        }
        return limits
    }

    private func system(_ node: Node) throws(PolicyError) -> AgentPolicy.SystemSettings {
        var system = AgentPolicy.SystemSettings()
        for entry in try reader.mapping(node, at: "system", allowed: Self.systemKeys) {
            let path = "system.\(entry.key)"
            switch entry.key {
            case "service_manager": system.serviceManager = try reader.argv(entry.value, at: path, allowBareName: true)
            case "reboot_command": system.rebootCommand = try reader.argv(entry.value, at: path, allowBareName: true)
            case "boot_id_file":
                let file = try reader.string(entry.value, at: path)
                guard file.hasPrefix("/") else {
                    throw reader.error(.relativePath, entry.value, path, "\(file.debugDescription) is not an absolute path")
                }
                system.bootIDFile = file
            default: preconditionFailure("key \(entry.key) passed the allowed-key check but has no parser")
            }
        }
        return system
    }

    static func isCommandName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 64, isAlphanumeric(first) else { return false }
        return name.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || isAlphanumeric($0) }
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || ("0"..."9").contains(scalar)
    }
}
