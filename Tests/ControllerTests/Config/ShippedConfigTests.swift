import Foundation
import StewardController
import Testing

/// The example config in packaging/ is what operators copy: it must load, with its documented values.
@Suite struct ShippedConfigTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func exampleControllerConfigLoads() throws {
        let path = Self.packageRoot.appendingPathComponent("packaging/config/controller.yaml").path
        let configuration = try ControllerConfigFile.load(path: path)
        #expect(configuration.stateDirectory == "/var/lib/steward")
        #expect(configuration.agentHost == "0.0.0.0" && configuration.agentPort == 7443)
        #expect(configuration.apiHost == "127.0.0.1" && configuration.apiPort == 7080)
        #expect(configuration.heartbeat.interval == .seconds(9))
        #expect(configuration.agentCertificateValidity == .seconds(30 * 86_400))
        #expect(configuration.limits.maxFrameLength == 1 << 20)
        #expect(configuration.advertisedAddress == nil)
        #expect(configuration.resourceLimits == ControllerLimits.default, "the documented limits are the defaults")
    }

    @Test func exampleAgentPolicyIsAValidPolicyFile() throws {
        // Parsed by the agent's own loader in AgentTests; here only that it exists where the docs say.
        let path = Self.packageRoot.appendingPathComponent("packaging/config/agent.yaml").path
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
