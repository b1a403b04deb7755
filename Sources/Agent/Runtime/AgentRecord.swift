#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Who this agent is, as enrollment left it: `agent.json` in the state directory.
public struct AgentRecord: Codable, Sendable, Hashable {
    public var agentID: String
    public var name: String
    /// The controller's agent endpoint, "host:port" (from the join token).
    public var controller: String
    public var labels: [String: String]
    public var enrolledAtMilliseconds: Int64

    public init(agentID: String, name: String, controller: String, labels: [String: String], enrolledAtMilliseconds: Int64) {
        self.agentID = agentID
        self.name = name
        self.controller = controller
        self.labels = labels
        self.enrolledAtMilliseconds = enrolledAtMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case agentID = "agent_id"
        case name
        case controller
        case labels
        case enrolledAtMilliseconds = "enrolled_at_ms"
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    static func decode(_ bytes: [UInt8]) throws -> AgentRecord {
        try JSONDecoder().decode(AgentRecord.self, from: Data(bytes))
    }
}
