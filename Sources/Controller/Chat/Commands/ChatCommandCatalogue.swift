/// One entry of `help`: how to type a command, what it does and which permission it needs.
public struct ChatCommandHelp: Sendable, Hashable {
    public var verb: String
    /// The usage line, e.g. `restart SERVICE on SELECTOR [OPTIONS]`.
    public var usage: String
    /// One line for the catalogue.
    public var summary: String
    /// The policy permission needed (`metrics`, `service.restart`, `exec:NAME`; see `ChatPermission`); nil = anyone.
    public var permission: String?

    public init(verb: String, usage: String, summary: String, permission: String?) {
        self.verb = verb
        self.usage = usage
        self.summary = summary
        self.permission = permission
    }
}

/// The built-in verbs: their usage lines, summaries and permissions.
public enum ChatCommandCatalogue {
    /// The job options, as shown under the catalogue.
    public static let optionsUsage = "OPTIONS: --batch N|N%  --max-errors N|N%  --timeout 30s|5m|1h  --dry-run"

    public static let builtins: [ChatCommandHelp] = [
        .init(verb: "help", usage: "help [COMMAND]", summary: "List the commands you may run, or show one", permission: "help"),
        .init(verb: "agents", usage: "agents [SELECTOR]", summary: "List agents, online state and labels", permission: "agents"),
        .init(verb: "ping", usage: "ping SELECTOR [OPTIONS]", summary: "Check that agents answer", permission: "ping"),
        .init(verb: "facts", usage: "facts SELECTOR [OPTIONS]", summary: "Show OS, kernel and hardware facts", permission: "facts"),
        .init(verb: "metrics", usage: "metrics SELECTOR [OPTIONS]", summary: "Show load, memory and disk use", permission: "metrics"),
        .init(verb: "status", usage: "status SERVICE on SELECTOR [OPTIONS]", summary: "Show a service's state", permission: "service.status"),
        .init(verb: "start", usage: "start SERVICE on SELECTOR [OPTIONS]", summary: "Start a service", permission: "service.start"),
        .init(verb: "stop", usage: "stop SERVICE on SELECTOR [OPTIONS]", summary: "Stop a service", permission: "service.stop"),
        .init(verb: "restart", usage: "restart SERVICE on SELECTOR [OPTIONS]", summary: "Restart a service", permission: "service.restart"),
        .init(verb: "reboot", usage: "reboot SELECTOR [OPTIONS]", summary: "Reboot hosts", permission: "reboot"),
        .init(
            verb: "run", usage: "run NAME [ARGS...] on SELECTOR [OPTIONS]",
            summary: "Run a command the agents' policy allows", permission: "exec:NAME"),
        .init(verb: "history", usage: "history HOST [N]", summary: "The last N jobs on a host (default 10)", permission: "history"),
        .init(verb: "job", usage: "job ID", summary: "Show a job's progress and per-host results", permission: "job"),
        .init(verb: "cancel", usage: "cancel ID", summary: "Cancel a job's runs that have not finished", permission: "cancel"),
        .init(verb: "approve", usage: "approve ID", summary: "Approve someone else's pending request", permission: "approve"),
        .init(verb: "deny", usage: "deny ID", summary: "Refuse someone else's pending request", permission: "deny"),
        .init(verb: "whoami", usage: "whoami", summary: "Show who the bot thinks you are and your roles", permission: "whoami"),
        .init(verb: "yes", usage: "yes", summary: "Confirm your own request that asked for confirmation", permission: nil),
    ]

    /// Verbs whose requests start a job and therefore take options.
    static let jobVerbs: Set<String> = ["ping", "facts", "metrics", "status", "start", "stop", "restart", "reboot", "run"]

    /// The built-in entry for `verb` (already lower-cased), if it is one.
    public static func builtin(_ verb: String) -> ChatCommandHelp? {
        builtins.first { $0.verb == verb }
    }

    /// The built-in verb that asks for `action`.
    public static func verb(for action: JobAction) -> String {
        switch action {
        case .ping: "ping"
        case .facts: "facts"
        case .metrics: "metrics"
        case .reboot: "reboot"
        case .service(let operation, _): operation.rawValue
        case .exec: "run"
        }
    }

    /// The permission a policy must grant to start a job with `action`.
    public static func permission(for action: JobAction) -> String {
        switch action {
        case .ping: "ping"
        case .facts: "facts"
        case .metrics: "metrics"
        case .reboot: "reboot"
        case .service(let operation, _): "service.\(operation.rawValue)"
        case .exec(let command, _): "exec:\(command)"
        }
    }
}
