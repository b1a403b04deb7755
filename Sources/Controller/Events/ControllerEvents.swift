import NIOConcurrencyHelpers

/// Something the controller's operators may want to hear about outside the room where it happened.
public enum ControllerEvent: Sendable, Hashable {
    /// Every run of the job reached a final state.
    case jobFinished(jobID: String)
    /// An agent's session ended (notifiers wait a grace period before calling it offline).
    case agentDisconnected(agentID: String)
    /// A chat request waits for another person's approval.
    case approvalRequested(ticket: String, summary: String, requester: String, approverRoles: [String])

    /// The name used in `events:` lists.
    public var kind: String {
        switch self {
        case .jobFinished: "job_finished"
        case .agentDisconnected: "agent_offline"
        case .approvalRequested: "approval_requested"
        }
    }

    public static let kinds = ["job_finished", "agent_offline", "approval_requested"]
}

/// A fan-out of ``ControllerEvent``s to subscribers (the notifiers).
///
/// Emitting never blocks the dispatcher or the gateway: each subscriber has a bounded buffer, and when a slow
/// subscriber's buffer is full the oldest events are dropped for it (notifications are best effort; the audit
/// trail and job history are the record).
public final class ControllerEvents: Sendable {
    private struct Subscribers {
        var continuations: [UInt64: AsyncStream<ControllerEvent>.Continuation] = [:]
        var nextID: UInt64 = 0
    }

    private let subscribers = NIOLockedValueBox(Subscribers())
    let bufferSize: Int

    public init(bufferSize: Int = 1024) {
        self.bufferSize = bufferSize
    }

    /// A new subscription; it ends when the controller shuts down (``finish()``), and is forgotten as
    /// soon as its consumer stops listening.
    public func subscribe() -> AsyncStream<ControllerEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ControllerEvent.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id = subscribers.withLockedValue { subscribers -> UInt64 in
            subscribers.nextID += 1
            subscribers.continuations[subscribers.nextID] = continuation
            return subscribers.nextID
        }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLockedValue { _ = $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// How many subscriptions are live.
    var subscriberCount: Int { subscribers.withLockedValue { $0.continuations.count } }

    public func emit(_ event: ControllerEvent) {
        for subscriber in subscribers.withLockedValue({ Array($0.continuations.values) }) { subscriber.yield(event) }
    }

    public func finish() {
        for subscriber in subscribers.withLockedValue({ Array($0.continuations.values) }) { subscriber.finish() }
    }
}
