import Foundation
import StewardAgent
import Testing

/// The example agent policy in packaging/ is what install-agent.sh installs: it must load.
@Suite struct ShippedPolicyTests {
    @Test func exampleAgentPolicyLoadsWithTheAgentsOwnParser() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let policy = try AgentPolicy.load(from: root.appendingPathComponent("packaging/config/agent.yaml").path)
        #expect(policy.decide(.metrics).isAllowed)
        #expect(!policy.decide(.shell("id")).isAllowed)
        #expect(!policy.decide(.exec(name: "not-listed", args: [])).isAllowed)
        #expect(policy.limits == AgentPolicy.Limits(), "the documented limits are the defaults")
        #expect(policy.limits.spoolMaxBytes == 256 << 20)
    }
}
