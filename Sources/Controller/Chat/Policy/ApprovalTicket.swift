import Foundation

/// A request waiting for (or past) a second person's decision.
public struct ApprovalTicket: Sendable, Hashable {
    /// Where the ticket stands.
    public enum State: Sendable, Hashable {
        case pending
        case approved(by: ChatPolicy.Identity, at: Date)
        case denied(by: ChatPolicy.Identity, at: Date)
        /// Withdrawn by the requester before anyone decided.
        case withdrawn(at: Date)
        case expired
    }

    public var id: String
    public var requester: ChatPolicy.Identity
    /// What would run, in words, for the approvers: "reboot web-01, web-02 (asked by alice)".
    public var summary: String
    /// Holding any one of these roles lets someone other than the requester decide.
    public var approverRoles: [String]
    public var requestedAt: Date
    public var expiresAt: Date
    public var state: State
}

/// The result of `approve` or `deny` on an `ApprovalBook`.
public enum ApprovalOutcome: Sendable, Hashable {
    case approved(ApprovalTicket)
    case denied(ApprovalTicket)
    case withdrawn(ApprovalTicket)
    case refused(ApprovalRefusal)
}

/// Why an approval action was not taken; `reason` is worded for the person who tried.
public struct ApprovalRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// Extensible refusal code; compare against the static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let unknownRequest = Code(rawValue: "unknown_request")
        /// The requester tried to approve their own request.
        public static let selfApproval = Code(rawValue: "self_approval")
        public static let notAnApprover = Code(rawValue: "not_an_approver")
        public static let expired = Code(rawValue: "expired")
        public static let alreadyDecided = Code(rawValue: "already_decided")
    }

    public var code: Code
    public var id: String
    public var reason: String

    public init(code: Code, id: String, reason: String) {
        self.code = code
        self.id = id
        self.reason = reason
    }

    public var description: String { reason }
}

/// An approval that cannot be filed.
public struct ApprovalBookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Extensible error code; compare against the static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let duplicateID = Code(rawValue: "duplicate_id")
        public static let tooManyPending = Code(rawValue: "too_many_pending")
        public static let noApproverRole = Code(rawValue: "no_approver_role")
    }

    public var code: Code
    public var reason: String

    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
