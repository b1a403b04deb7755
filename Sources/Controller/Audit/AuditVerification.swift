/// The outcome of ``AuditLog/verify()``.
public enum AuditVerification: Sendable, Hashable, CustomStringConvertible {
    /// Every row checked out and the chain ends where the head says; `count` rows were checked.
    case intact(count: Int)
    /// The first problem found, at the seq where the chain stops being trustworthy.
    case broken(at: Int64, reason: AuditBreak)

    public var isIntact: Bool {
        if case .intact = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .intact(let count): "audit trail intact: \(count) event\(count == 1 ? "" : "s") verified"
        case .broken(let seq, let reason): "audit trail BROKEN at seq \(seq): \(reason)"
        }
    }
}

/// Why the audit chain is broken; each case points at a different kind of tampering.
public enum AuditBreak: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The row's content no longer matches its stored hash: the row was edited.
    case hashMismatch
    /// The seq at which the break is reported is absent: that row (and maybe more after it) was deleted.
    case rowMissing
    /// The row's `prev_hash` is not the previous row's hash: a row before it was replaced or removed
    /// and the chain re-stitched (re-hashed or renumbered).
    case linkMismatch
    /// The head records a later seq than the newest row: rows were cut off the end.
    case truncated
    /// The newest row's hash differs from the head's, or rows exist beyond the head.
    case headMismatch
    /// The head row itself was removed.
    case headMissing
    /// A stored value has the wrong type or size (a hash that is not 32 bytes, say).
    case malformedRow

    public var description: String {
        switch self {
        case .hashMismatch: "row was edited (its content does not match its hash)"
        case .rowMissing: "row is missing (deleted)"
        case .linkMismatch: "row does not link to the previous row (an earlier row was replaced or removed)"
        case .truncated: "rows were removed from the end (the head records a later event)"
        case .headMismatch: "the newest row does not match the recorded head"
        case .headMissing: "the head record is missing"
        case .malformedRow: "row holds malformed values"
        }
    }
}
