import Foundation

/// A request to run one action on the agents a selector picks.
public struct JobRequest: Sendable, Hashable {
    public var action: JobAction
    public var target: TargetSelector
    public var requestedBy: String
    public var source: JobSource
    /// At most this many runs in flight at once; nil = all at once.
    public var batch: BatchSize?
    /// Skip the remaining hosts once more than this many runs failed; nil = never.
    public var maxErrors: BatchSize?
    /// Run time limit on each agent (the agent's policy may set a shorter one for a command).
    public var timeout: Duration
    /// How long a run may wait for an offline agent before it is `undelivered`.
    public var deliveryWindow: Duration

    /// Ten minutes: long enough for package upgrades and restarts, short enough to notice a hang.
    public static let defaultTimeout: Duration = .seconds(600)

    public init(
        action: JobAction,
        target: TargetSelector,
        requestedBy: String,
        source: JobSource,
        batch: BatchSize? = nil,
        maxErrors: BatchSize? = nil,
        timeout: Duration = JobRequest.defaultTimeout,
        deliveryWindow: Duration = .seconds(600)
    ) {
        self.action = action
        self.target = target
        self.requestedBy = requestedBy
        self.source = source
        self.batch = batch
        self.maxErrors = maxErrors
        self.timeout = timeout
        self.deliveryWindow = deliveryWindow
    }
}

/// A count given as a number (`5`) or a share of the targets (`25%`).
public enum BatchSize: Sendable, Hashable, CustomStringConvertible {
    case count(Int)
    case percent(Int)

    public init(parsing text: String) throws {
        if text.hasSuffix("%") {
            guard let value = Int(text.dropLast()), (1...100).contains(value) else {
                throw JobRequestError("'\(text)' is not a percentage between 1% and 100%")
            }
            self = .percent(value)
        } else {
            guard let value = Int(text), value >= 0 else { throw JobRequestError("'\(text)' is not a count or a percentage") }
            self = .count(value)
        }
    }

    /// The absolute number for `total` targets; a percentage of a non-empty fleet is at least 1.
    public func resolve(total: Int) -> Int {
        switch self {
        case .count(let value): value
        case .percent(let value): max(1, (total * value + 99) / 100)
        }
    }

    public var description: String {
        switch self {
        case .count(let value): "\(value)"
        case .percent(let value): "\(value)%"
        }
    }
}
