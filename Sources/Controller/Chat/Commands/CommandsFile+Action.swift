import Yams

extension CommandsFile {
    /// `metrics` (or ping, facts, reboot), `{exec: NAME, args: [...]}` or `{service: OPERATION, unit: UNIT}`.
    /// Command names and operations are fixed; only argument and unit templates take values.
    static func parseAction(
        _ node: Node, at keyPath: String, parameters: Set<String>, reader: CommandsFileReader
    ) throws(CommandsFileError) -> CommandAlias.ActionTemplate {
        if case .scalar = node {
            let word = try reader.string(node, at: keyPath)
            let fixed: [String: JobAction] = ["ping": .ping, "facts": .facts, "metrics": .metrics, "reboot": .reboot]
            guard let action = fixed[word] else {
                throw reader.error(
                    .invalidValue, node, keyPath,
                    "\(word.debugDescription) is not an action (ping, facts, metrics, reboot, {exec: ...} or {service: ...})")
            }
            return .fixed(action)
        }
        let entries = try reader.mapping(node, at: keyPath, allowed: ["exec", "args", "service", "unit"])
        let keys = Set(entries.map(\.key))
        if keys.contains("exec") {
            if let stray = entries.first(where: { $0.key == "service" || $0.key == "unit" }) {
                throw reader.error(.unknownKey, stray.keyNode, "\(keyPath).\(stray.key)", "an exec action takes only exec and args")
            }
            let commandNode = try reader.required("exec", in: entries, of: node, at: keyPath)
            let command = try reader.string(commandNode, at: "\(keyPath).exec")
            guard ChatNames.isCommandName(command) else {
                throw reader.error(.invalidValue, commandNode, "\(keyPath).exec", "\(command.debugDescription) is not a command name")
            }
            var arguments: [String] = []
            if let argsNode = entries.first(where: { $0.key == "args" })?.value {
                arguments = try reader.strings(argsNode, at: "\(keyPath).args")
                guard arguments.count <= 32 else { throw reader.error(.invalidValue, argsNode, "\(keyPath).args", "more than 32 arguments") }
                for argument in arguments {
                    try checkTemplate(argument, node: argsNode, at: "\(keyPath).args", parameters: parameters, reader: reader)
                }
            }
            return .exec(command: command, arguments: arguments)
        }
        guard keys.contains("service") else {
            throw reader.error(.missingKey, node, keyPath, "an action mapping needs `exec` or `service`")
        }
        if let stray = entries.first(where: { $0.key == "args" }) {
            throw reader.error(.unknownKey, stray.keyNode, "\(keyPath).args", "a service action takes only service and unit")
        }
        let operationNode = try reader.required("service", in: entries, of: node, at: keyPath)
        let operationName = try reader.string(operationNode, at: "\(keyPath).service")
        guard let operation = JobAction.ServiceOperation(rawValue: operationName) else {
            throw reader.error(
                .invalidValue, operationNode, "\(keyPath).service",
                "\(operationName.debugDescription) is not one of status, start, stop, restart")
        }
        let unitNode = try reader.required("unit", in: entries, of: node, at: keyPath)
        let unit = try reader.string(unitNode, at: "\(keyPath).unit")
        try checkTemplate(unit, node: unitNode, at: "\(keyPath).unit", parameters: parameters, reader: reader)
        guard ChatNames.isServiceUnit(AliasTemplate.render(unit, values: sampleValues(parameters))) else {
            throw reader.error(.invalidValue, unitNode, "\(keyPath).unit", "\(unit.debugDescription) is not a service name")
        }
        return .service(operation: operation, unit: unit)
    }

    /// The selector template; checked by parsing it with every placeholder set to a plain name.
    static func parseTarget(
        _ node: Node, at keyPath: String, parameters: [String: AliasParameter], reader: CommandsFileReader
    ) throws(CommandsFileError) -> String {
        let template = try reader.string(node, at: keyPath)
        try checkTemplate(template, node: node, at: keyPath, parameters: Set(parameters.keys), reader: reader)
        do {
            _ = try TargetSelector(parsing: AliasTemplate.render(template, values: sampleValues(Set(parameters.keys))))
        } catch {
            throw reader.error(.invalidTemplate, node, keyPath, "not a selector template: \(error)")
        }
        return template
    }

    static func checkTemplate(
        _ template: String, node: Node, at keyPath: String, parameters: Set<String>, reader: CommandsFileReader
    ) throws(CommandsFileError) {
        guard let names = AliasTemplate.placeholders(template) else {
            throw reader.error(.invalidTemplate, node, keyPath, "\(template.debugDescription): braces must enclose a parameter name")
        }
        for name in names where !parameters.contains(name) {
            throw reader.error(.invalidTemplate, node, keyPath, "`{\(name)}` is not a parameter of the pattern")
        }
    }

    private static func sampleValues(_ names: Set<String>) -> [String: String] {
        Dictionary(uniqueKeysWithValues: names.map { ($0, "x") })
    }
}
