import GRDB

/// What an audit event records (a request, a policy decision, a job starting...).
///
/// String-backed rather than an enum so that a database written by a newer build, with kinds this
/// build does not know, still reads and verifies.
public struct AuditKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    DatabaseValueConvertible
{
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Someone asked for something (the command text is the summary).
    public static let request = AuditKind(rawValue: "request")
    /// Policy allowed or denied a request, and why.
    public static let decision = AuditKind(rawValue: "decision")
    /// The requester confirmed (or let lapse) a command that needs confirmation.
    public static let confirmation = AuditKind(rawValue: "confirmation")
    /// Another person approved or denied a request that needs approval.
    public static let approval = AuditKind(rawValue: "approval")
    /// A job was created and handed to the dispatcher.
    public static let jobStarted = AuditKind(rawValue: "job_started")
    /// A job ended (finished or cancelled), with its outcome.
    public static let jobFinished = AuditKind(rawValue: "job_finished")
    /// An administrative action: tokens, agent revocation, configuration reloads.
    public static let admin = AuditKind(rawValue: "admin")
    /// A chat platform event reached the controller.
    public static let chatIngress = AuditKind(rawValue: "chat_ingress")

    /// The longest kind accepted.
    static let maxLength = 32

    /// Kinds are short snake_case words so they stay easy to filter and cannot smuggle layout into tables.
    var isWellFormed: Bool {
        let bytes = Array(rawValue.utf8)
        guard let first = bytes.first, bytes.count <= Self.maxLength,
              (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }

    public var description: String { rawValue }
}
