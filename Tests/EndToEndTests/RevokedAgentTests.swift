import Foundation
import StewardProtocol
import Testing

extension FaultSuites {
    /// A revoked agent's certificate still chains to the CA, so TLS accepts it: the session must not.
    @Suite(.serialized, .timeLimit(.minutes(2)))
    struct RevokedAgentTests {
        @Test func aRevokedAgentsHelloIsRefusedCountedOnceAndLeavesNoSession() async throws {
            try Harness.requireBinaries()
            try await FaultSuites.settle()
            let root = try Harness.temporaryDirectory("revoked")
            let controller = ControllerUnderTest(root: root)
            let identity = try AgentUnderTest(root: root, name: "gone-01", policy: Policies.standard)
            var client: StalledAgentClient?

            try await withLogsOnFailure([("controller", { controller.log })], cleanup: { await client?.close(); await controller.stop() }) {
                try await controller.start()
                try #require(try await identity.enroll(token: try await controller.createToken(labels: "role=web")).status == 0)
                let revoked = try await controller.cli(["agents", "revoke", "gone-01"])
                try #require(revoked.status == 0, "revoke failed: \(revoked.stderr)")

                let port = try #require(controller.agentAddress.split(separator: ":").last.flatMap { Int($0) })
                let agent = try await StalledAgentClient.connect(port: port, agentStateDir: identity.stateDir, counting: true)
                client = agent
                try await agent.sendHello()
                try await Harness.eventually("the controller closes the session") { !agent.isOpen }
                #expect(agent.count("Welcome") == 0, "no session was started")
                #expect(agent.count("Error") == 1, "told why, once")

                let metrics = try await controller.metricsText()
                #expect(FloodingPeerTests.sample(metrics, #"steward_rejections_total{entry="agent_gateway",reason="revoked"}"#) == 1)
                #expect(FloodingPeerTests.sample(metrics, "steward_agents_online") == 0)
                #expect(controller.log.contains("has been revoked"))
                #expect(try await controller.agents().first?.state != "online")
            }
        }
    }
}
