import StewardConfig

/// An agent policy file that cannot be loaded; the whole file is then refused.
///
/// Tests compare `code` and `line`; `description` reads
/// `agent.yaml:7: commands.disk-usage.timeout: "3x" is not a duration`.
public typealias PolicyError = ConfigFileError<AgentPolicy>

/// The codes only the agent policy has; the shared ones (`unreadable`, `syntax`, `unknownKey`, `missingKey`,
/// `wrongType`, `invalidValue`, `invalidDuration` for `<positive integer><ms|s|m|h>` up to a day,
/// `invalidName`) come with `ConfigFileError`.
extension ConfigFileError.Code where Domain == AgentPolicy {
    /// An `argv` with no elements.
    public static var emptyArgv: Self { Self(rawValue: "empty_argv") }
    /// An executable or file path that is not absolute where it must be.
    public static var relativePath: Self { Self(rawValue: "relative_path") }
    /// An `arg_pattern` that is not a valid Swift regular expression.
    public static var invalidPattern: Self { Self(rawValue: "invalid_pattern") }
    /// A reserved setting given a value this version does not implement (`user`).
    public static var unsupported: Self { Self(rawValue: "unsupported") }
}
