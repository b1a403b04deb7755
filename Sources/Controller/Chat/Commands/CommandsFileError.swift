import StewardConfig

/// A `commands.yaml` that cannot be loaded; the whole file is then refused, never loaded half-way.
///
/// Tests compare `code` and `line`; `description` reads
/// `commands.yaml:7: commands.deploy.params.app.type: unknown type "bool" (expected one of: ...)`.
public typealias CommandsFileError = ConfigFileError<CommandsFile>

/// The codes only `commands.yaml` has; the shared ones (`unreadable`, `syntax`, `unknownKey`, `missingKey`,
/// `wrongType`, `invalidValue`, ...) come with `ConfigFileError`.
extension ConfigFileError.Code where Domain == CommandsFile {
    /// A malformed pattern or `{placeholder}`, or one naming an undeclared parameter.
    public static var invalidTemplate: Self { Self(rawValue: "invalid_template") }
    /// An alias whose name or first word is a built-in verb.
    public static var shadowsBuiltin: Self { Self(rawValue: "shadows_builtin") }
    /// Two aliases with the same pattern shape.
    public static var duplicate: Self { Self(rawValue: "duplicate") }
}
