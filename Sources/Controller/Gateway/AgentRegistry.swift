import Foundation
import StewardProtocol

/// Commands a connection loop accepts from the rest of the controller.
public enum SessionCommand: Sendable {
    case send(StewardMessage)
    /// Say goodbye and close (revocation, shutdown, a newer session for the same agent).
    case goAway(reason: String, retryAfterMilliseconds: UInt32)
}

/// A live, authenticated agent session as seen by the registry.
public struct AgentSessionHandle: Sendable {
    public let sessionID: UInt64
    public let agentID: String
    private let deliver: @Sendable (SessionCommand) -> Bool

    /// `deliver` hands a command to the connection loop and says whether it was taken.
    public init(sessionID: UInt64, agentID: String, deliver: @escaping @Sendable (SessionCommand) -> Bool) {
        self.sessionID = sessionID
        self.agentID = agentID
        self.deliver = deliver
    }

    @discardableResult
    func send(_ command: SessionCommand) -> Bool { deliver(command) }
}

/// Which agents are connected right now, and how to reach them.
///
/// One session per agent: a newer session evicts the older one (the agent reconnected before the
/// old connection timed out).
public actor AgentRegistry {
    private var sessions: [String: AgentSessionHandle] = [:]
    private var nextSessionID: UInt64 = 1

    public init() {}

    public func makeSessionID() -> UInt64 {
        defer { nextSessionID += 1 }
        return nextSessionID
    }

    public func register(_ handle: AgentSessionHandle) {
        if let previous = sessions[handle.agentID], previous.sessionID != handle.sessionID {
            previous.send(.goAway(reason: "replaced by a newer session", retryAfterMilliseconds: 0))
        }
        sessions[handle.agentID] = handle
    }

    /// Removes the session if it is still the current one for its agent.
    public func unregister(agentID: String, sessionID: UInt64) -> Bool {
        guard sessions[agentID]?.sessionID == sessionID else { return false }
        sessions[agentID] = nil
        return true
    }

    public func isOnline(_ agentID: String) -> Bool { sessions[agentID] != nil }

    public var onlineAgentIDs: Set<String> { Set(sessions.keys) }

    public var count: Int { sessions.count }

    /// The agents of `agentIDs` that are online, in the given order.
    public func online(among agentIDs: [String]) -> [String] {
        agentIDs.filter { sessions[$0] != nil }
    }

    /// Queues each message for its agent; returns the agents that were offline (nothing queued for them).
    public func send(_ messages: [(agentID: String, message: StewardMessage)]) -> [String] {
        messages.compactMap { sessions[$0.agentID]?.send(.send($0.message)) == true ? nil : $0.agentID }
    }

    /// Queues a message for the agent; false when it is offline.
    @discardableResult
    public func send(_ message: StewardMessage, to agentID: String) -> Bool {
        sessions[agentID]?.send(.send(message)) ?? false
    }

    /// Drops the agent's session at once (revocation).
    public func disconnect(_ agentID: String, reason: String, retryAfterMilliseconds: UInt32 = 0) {
        sessions.removeValue(forKey: agentID)?.send(.goAway(reason: reason, retryAfterMilliseconds: retryAfterMilliseconds))
    }

    /// Asks every agent to go away, e.g. on shutdown, spreading their reconnects.
    public func disconnectAll(reason: String, retryAfterMilliseconds: UInt32) {
        for handle in sessions.values {
            handle.send(.goAway(reason: reason, retryAfterMilliseconds: retryAfterMilliseconds))
        }
        sessions.removeAll()
    }
}
