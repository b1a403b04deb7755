/// One request typed in a chat room, parsed but not yet authorised or carried out.
public enum ChatCommand: Sendable, Hashable {
    /// `help [COMMAND]`: the catalogue, or the usage of one command.
    case help(topic: String?)
    /// `agents [SELECTOR]`: the fleet, optionally narrowed.
    case agents(selector: TargetSelector?)
    /// `ping|facts|metrics SEL`, `restart|status|start|stop SERVICE on SEL`, `reboot SEL`, `run NAME [ARGS...] on SEL`.
    case job(action: JobAction, target: TargetSelector, options: JobOptions)
    /// `history HOST [N]`: the latest `limit` jobs that touched `host`.
    case history(host: String, limit: Int)
    /// `job ID`: state and per-host results of one job.
    case jobStatus(id: String)
    /// `cancel ID`.
    case cancel(id: String)
    /// `approve ID`: a second person lets a pending request run.
    case approve(id: String)
    /// `deny ID`: a second person refuses a pending request.
    case deny(id: String)
    /// `whoami`: the identity and roles the bot sees.
    case whoami
    /// `yes`: confirms the asking user's own pending request.
    case confirm
    /// A `commands.yaml` alias, already validated and resolved to the job it stands for.
    case alias(name: String, parameters: [String: String], action: JobAction, target: TargetSelector, options: JobOptions)

    /// The verb a person typed (for an alias, the alias name); used in audit rows and help.
    public var verb: String {
        switch self {
        case .help: "help"
        case .agents: "agents"
        case .job(let action, _, _): ChatCommandCatalogue.verb(for: action)
        case .history: "history"
        case .jobStatus: "job"
        case .cancel: "cancel"
        case .approve: "approve"
        case .deny: "deny"
        case .whoami: "whoami"
        case .confirm: "yes"
        case .alias(let name, _, _, _, _): name
        }
    }

    /// The permission a policy must grant for this request (a `ChatPermission` name: `metrics`,
    /// `service.restart`, `exec:NAME`, ...); nil only for `yes`, which confirms a request already allowed.
    /// An alias needs the permission of the job it resolves to, so it can never do more than its user could
    /// do by typing that job out.
    public var permission: String? {
        switch self {
        case .job(let action, _, _), .alias(_, _, let action, _, _): ChatCommandCatalogue.permission(for: action)
        default: ChatCommandCatalogue.builtin(verb)?.permission
        }
    }

    /// The job this request starts, for built-in job verbs and aliases alike.
    public var job: (action: JobAction, target: TargetSelector, options: JobOptions)? {
        switch self {
        case .job(let action, let target, let options): (action, target, options)
        case .alias(_, _, let action, let target, let options): (action, target, options)
        default: nil
        }
    }
}

/// Options a person may add to any job request, anywhere after the verb.
public struct JobOptions: Sendable, Hashable {
    /// `--batch 5|25%`: at most this many runs in flight at once.
    public var batch: BatchSize?
    /// `--max-errors N|N%`: skip the remaining hosts once more runs than this failed.
    public var maxErrors: BatchSize?
    /// `--timeout 30s|5m|1h`: run time limit on each agent.
    public var timeout: Duration?
    /// `--dry-run`: show the resolved hosts, run nothing.
    public var dryRun: Bool

    public init(batch: BatchSize? = nil, maxErrors: BatchSize? = nil, timeout: Duration? = nil, dryRun: Bool = false) {
        self.batch = batch
        self.maxErrors = maxErrors
        self.timeout = timeout
        self.dryRun = dryRun
    }
}
