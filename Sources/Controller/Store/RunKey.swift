/// Identifies a run: one job on one agent.
public struct RunKey: Hashable, Sendable, CustomStringConvertible {
    public var jobID: String
    public var agentID: String

    public init(jobID: String, agentID: String) {
        self.jobID = jobID
        self.agentID = agentID
    }

    public var description: String { "\(jobID)/\(agentID)" }
}
