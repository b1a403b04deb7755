import Foundation

/// A command waiting for its requester to answer `yes` in the same room.
public struct PendingConfirmation: Sendable, Hashable {
    public var id: String
    public var requester: ChatPolicy.Identity
    /// `platform:room` where the question was asked; a `yes` elsewhere does not count.
    public var room: String
    public var summary: String
    public var deadline: Date
}

/// The result of a `yes` (or `no`) from someone.
public enum ConfirmationOutcome: Sendable, Hashable {
    case confirmed(PendingConfirmation)
    case cancelled(PendingConfirmation)
    /// The window closed before the answer; the command will not run.
    case expired(PendingConfirmation)
    /// This person has nothing waiting in this room (another user's `yes` lands here too).
    case nothingPending
}

/// A "yes" carries no id, so each person has at most one open question per room.
struct ConfirmationKey: Hashable {
    var requester: ChatPolicy.Identity
    var room: String
}

extension ApprovalBook {
    /// Asks `requester` to confirm within `within`; replaces (and returns) any question still open for them
    /// in that room, since a later `yes` could only be meant for the latest one.
    @discardableResult
    public mutating func awaitConfirmation(
        id: String, requester: ChatPolicy.Identity, room: String, summary: String, within: Duration
    ) -> PendingConfirmation? {
        let pending = PendingConfirmation(
            id: id, requester: requester, room: room, summary: summary, deadline: now().addingTimeInterval(Self.seconds(within)))
        let replaced = confirmations.updateValue(pending, forKey: ConfirmationKey(requester: requester, room: room))
        return replaced.flatMap { now() < $0.deadline ? $0 : nil }
    }

    /// `person` answered `yes` in `room`.
    public mutating func confirm(by person: ChatPolicy.Identity, room: String) -> ConfirmationOutcome {
        guard let pending = confirmations.removeValue(forKey: ConfirmationKey(requester: person, room: room)) else {
            return .nothingPending
        }
        return now() < pending.deadline ? .confirmed(pending) : .expired(pending)
    }

    /// `person` answered `no` in `room`.
    public mutating func cancelConfirmation(by person: ChatPolicy.Identity, room: String) -> ConfirmationOutcome {
        guard let pending = confirmations.removeValue(forKey: ConfirmationKey(requester: person, room: room)) else {
            return .nothingPending
        }
        return .cancelled(pending)
    }

    /// The question open for `person` in `room`, if it has not expired.
    public func pendingConfirmation(for person: ChatPolicy.Identity, room: String) -> PendingConfirmation? {
        confirmations[ConfirmationKey(requester: person, room: room)].flatMap { now() < $0.deadline ? $0 : nil }
    }
}
