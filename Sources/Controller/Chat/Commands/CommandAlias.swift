/// A custom command from `commands.yaml`: a word pattern with typed `{params}` that stands for one job.
public struct CommandAlias: Sendable, Hashable {
    /// One word of the pattern.
    public enum PatternElement: Sendable, Hashable {
        /// Must be typed as is (any case).
        case word(String)
        /// Takes one word (quote it to include spaces) as the named parameter.
        case parameter(String)
    }

    /// The job, with `{param}` placeholders in the places values may go.
    public enum ActionTemplate: Sendable, Hashable {
        /// `ping`, `facts`, `metrics` or `reboot`: nothing to substitute.
        case fixed(JobAction)
        /// `{service: restart, unit: "{app}"}`.
        case service(operation: JobAction.ServiceOperation, unit: String)
        /// `{exec: deploy, args: ["{app}", "--env={env}"]}`: each template gives exactly one argv element.
        case exec(command: String, arguments: [String])
    }

    /// The key in `commands.yaml`; also the `help` topic.
    public var name: String
    public var pattern: [PatternElement]
    public var parameters: [String: AliasParameter]
    public var action: ActionTemplate
    /// Selector template, e.g. `role={app},env={env}` or `{host}`.
    public var target: String
    public var help: String?

    public init(
        name: String, pattern: [PatternElement], parameters: [String: AliasParameter], action: ActionTemplate,
        target: String, help: String? = nil
    ) {
        self.name = name
        self.pattern = pattern
        self.parameters = parameters
        self.action = action
        self.target = target
        self.help = help
    }

    /// The first word of the pattern, lower-cased: what a person types to use the alias. Empty (so never
    /// typed) for a pattern that starts with a parameter, which `CommandsFile` refuses to load.
    public var trigger: String {
        if case .word(let word)? = pattern.first { return word.lowercased() }
        return ""
    }

    /// `deploy {app} to {env} [OPTIONS]`.
    public var usage: String {
        let words = pattern.map { element -> String in
            switch element {
            case .word(let word): word
            case .parameter(let name): "{\(name)}"
            }
        }
        return (words + ["[OPTIONS]"]).joined(separator: " ")
    }

    /// The alias's `help` entry; its summary says what each parameter accepts.
    public var helpEntry: ChatCommandHelp {
        let described = pattern.compactMap { element -> String? in
            guard case .parameter(let name) = element, let parameter = parameters[name] else { return nil }
            return "\(name): \(parameter.summary)"
        }
        let permission = ChatCommandCatalogue.permission(for: sampleAction)
        let summary = ([help ?? "Runs \(permission)"] + described).joined(separator: "; ")
        return ChatCommandHelp(verb: name, usage: usage, summary: summary, permission: permission)
    }

    /// The action with placeholders left in, for describing the alias.
    private var sampleAction: JobAction {
        switch action {
        case .fixed(let action): action
        case .service(let operation, let unit): .service(operation: operation, unit: unit)
        case .exec(let command, let arguments): .exec(command: command, arguments: arguments)
        }
    }
}
