import StewardConfig

/// A chat policy file that cannot be loaded; the whole file is then refused, never half-loaded.
///
/// Tests compare `code` and `line`; `description` reads
/// `policy.yaml:12: roles.operator.rules[1].approval.expires: "30x" is not a duration`.
public typealias PolicyFileError = ConfigFileError<ChatPolicy>

/// The codes only `policy.yaml` has; the shared ones (`unreadable`, `syntax`, `unknownKey`, `missingKey`,
/// `wrongType`, `invalidValue`, `invalidName` for role, platform and user names, `invalidDuration` for
/// `<positive integer><s|m|h|d>` up to the setting's limit) come with `ConfigFileError`.
extension ConfigFileError.Code where Domain == ChatPolicy {
    /// A `targets` entry that is not a target selector.
    public static var invalidSelector: Self { Self(rawValue: "invalid_selector") }
    /// A room that is not `platform:room` (or `platform:*`).
    public static var invalidRoom: Self { Self(rawValue: "invalid_room") }
    /// A permission name the controller does not know.
    public static var unknownCommand: Self { Self(rawValue: "unknown_command") }
    /// An identity, `inherits` or `approvers` entry naming a role that is not defined.
    public static var unknownRole: Self { Self(rawValue: "unknown_role") }
    /// Roles that inherit from each other in a loop.
    public static var inheritanceCycle: Self { Self(rawValue: "inheritance_cycle") }
    /// The same platform and user listed twice.
    public static var duplicateIdentity: Self { Self(rawValue: "duplicate_identity") }
    /// An `approval` without any approver role: nobody could ever approve it.
    public static var missingApprover: Self { Self(rawValue: "missing_approver") }
    /// A rule with both `confirm` and `approval`.
    public static var conflictingGates: Self { Self(rawValue: "conflicting_gates") }
}
