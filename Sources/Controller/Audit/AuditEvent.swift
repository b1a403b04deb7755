import Foundation

/// Something to record in the audit trail; ``AuditLog/append(_:)`` turns it into a chained ``AuditRecord``.
public struct AuditEvent: Sendable, Hashable {
    /// When it happened (stored as whole milliseconds).
    public var at: Date
    public var kind: AuditKind
    /// Who did it, as `platform:immutable-id` (`slack:U123`) or `cli:admin`.
    public var actor: String
    /// The chat room it happened in, if any.
    public var room: String?
    /// The agent concerned, if any.
    public var host: String?
    public var jobID: String?
    /// One human-readable line; cut at ``maxSummaryLength`` characters.
    public var summary: String
    /// Structured facts (reason, rule, exit code...), stored as a JSON object.
    public var details: [String: String]

    /// Summaries often carry text a user typed, whose length we do not control, and an over-long one
    /// must not stop the event from being recorded, so it is cut rather than refused.
    public static let maxSummaryLength = 4_096
    /// Details are built by our own code, so an oversized object is a caller fault and is refused.
    public static let maxDetailsBytes = 16_384
    /// The longest actor, room, host or job id accepted.
    public static let maxIdentifierLength = 256

    public init(
        at: Date,
        kind: AuditKind,
        actor: String,
        room: String? = nil,
        host: String? = nil,
        jobID: String? = nil,
        summary: String,
        details: [String: String] = [:]
    ) {
        self.at = at
        self.kind = kind
        self.actor = actor
        self.room = room
        self.host = host
        self.jobID = jobID
        self.summary = summary
        self.details = details
    }
}

extension AuditEvent {
    /// The event as the columns it will be stored in (everything but seq, id and the hashes),
    /// or `StoreError.invalidArgument` for a malformed kind, a missing actor or oversized fields.
    func validatedColumns() throws -> AuditColumns {
        guard kind.isWellFormed else {
            throw StoreError(.invalidArgument, "audit kind '\(kind.rawValue.prefix(40))' is not a snake_case word")
        }
        guard !actor.isEmpty else { throw StoreError(.invalidArgument, "an audit event needs an actor") }
        for (name, value) in [("actor", actor), ("room", room), ("host", host), ("job id", jobID)] {
            if let value, value.count > Self.maxIdentifierLength {
                throw StoreError(.invalidArgument, "audit \(name) is longer than \(Self.maxIdentifierLength) characters")
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let detailsJSON = String(decoding: try encoder.encode(details), as: UTF8.self)
        guard detailsJSON.utf8.count <= Self.maxDetailsBytes else {
            throw StoreError(.invalidArgument, "audit details are \(detailsJSON.utf8.count) bytes, more than \(Self.maxDetailsBytes)")
        }
        return AuditColumns(
            at: at.databaseMilliseconds, kind: kind, actor: actor,
            // An empty room or host means "none"; storing NULL keeps filters and the table simple.
            room: room.flatMap { $0.isEmpty ? nil : $0 },
            host: host.flatMap { $0.isEmpty ? nil : $0 },
            jobID: jobID.flatMap { $0.isEmpty ? nil : $0 },
            summary: Self.cut(summary), detailsJSON: detailsJSON)
    }

    static func cut(_ summary: String) -> String {
        guard summary.count > maxSummaryLength else { return summary }
        return String(summary.prefix(maxSummaryLength - 1)) + "…"
    }
}

/// An event's stored, validated content before it joins the chain.
struct AuditColumns: Sendable {
    var at: Int64
    var kind: AuditKind
    var actor: String
    var room: String?
    var host: String?
    var jobID: String?
    var summary: String
    var detailsJSON: String
}
