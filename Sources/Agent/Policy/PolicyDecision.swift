/// The agent policy's verdict on one request.
public enum PolicyDecision: Sendable, Hashable {
    /// Allowed; `resolved` is `nil` for built-in read-only actions (ping, facts, metrics).
    case allow(resolved: ResolvedAction?)
    /// Refused, with a code for programs and a reason for the person who asked.
    case deny(code: DenialCode, reason: String)

    /// Why a request was refused; extensible like the error codes.
    public struct DenialCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The named command is not in `commands`.
        public static let commandNotAllowed = DenialCode(rawValue: "command_not_allowed")
        /// The unit is not in `services`.
        public static let serviceNotAllowed = DenialCode(rawValue: "service_not_allowed")
        /// The unit is listed, but not with this operation.
        public static let operationNotAllowed = DenialCode(rawValue: "operation_not_allowed")
        /// The unit name is not a valid unit name at all.
        public static let invalidUnitName = DenialCode(rawValue: "invalid_unit_name")
        /// `reboot: false` (the default).
        public static let rebootDisabled = DenialCode(rawValue: "reboot_disabled")
        /// `shell: false` (the default).
        public static let shellDisabled = DenialCode(rawValue: "shell_disabled")
        /// More extra arguments than the command's `max_args`.
        public static let tooManyArguments = DenialCode(rawValue: "too_many_arguments")
        /// An extra argument does not fully match `arg_pattern`, or is unusable (NUL, too long).
        public static let argumentRejected = DenialCode(rawValue: "argument_rejected")
    }

    public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }
}
