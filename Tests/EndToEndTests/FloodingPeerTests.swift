import Foundation
import NIOCore
import StewardProtocol
import Testing

extension FaultSuites {
    /// An enrolled agent's identity that sends far more messages than any agent needs: it is read at the
    /// configured rate, counted once as `rate_limited`, and loses nothing.
    @Suite(.serialized, .timeLimit(.minutes(3)))
    struct FloodingPeerTests {
        /// 200 messages a second after a burst of 200, so a 10,000-a-second flood is throttled within a second.
        static let config = """
            agent_messages_per_second: 200
            agent_message_burst: 200
            """

        @Test func tenThousandPingsASecondAreAnsweredAtTheRateAndNoneIsLost() async throws {
            try Harness.requireBinaries()
            try await FaultSuites.settle()
            let root = try Harness.temporaryDirectory("flood")
            try Self.config.write(toFile: "\(root)/controller.yaml", atomically: true, encoding: .utf8)
            let controller = ControllerUnderTest(root: root)
            let identity = try AgentUnderTest(root: root, name: "flood-01", policy: Policies.standard)
            var client: StalledAgentClient?

            try await withLogsOnFailure([("controller", { controller.log })], cleanup: { await client?.close(); await controller.stop() }) {
                try await controller.start(config: "\(root)/controller.yaml")
                try #require(try await identity.enroll(token: try await controller.createToken(labels: "role=web")).status == 0)
                let port = try #require(controller.agentAddress.split(separator: ":").last.flatMap { Int($0) })
                let flooder = try await StalledAgentClient.connect(port: port, agentStateDir: identity.stateDir, counting: true)
                client = flooder
                try await flooder.sendHello()
                try await Harness.eventually("welcomed") { flooder.count("Welcome") == 1 }

                // 3,000 pings in 0.3 s: 10,000 a second, in batches of 100 every 10 ms.
                let pings = 3_000
                let started = ContinuousClock.now
                var ping = Wire.Ping()
                for batch in 0..<(pings / 100) {
                    for _ in 0..<100 {
                        ping.nonce &+= 1
                        flooder.channel.write(try MessageCodec.frame(.ping(ping)), promise: nil)
                    }
                    flooder.channel.flush()
                    try await Task.sleep(until: started + .milliseconds(10 * (batch + 1)))
                }
                try await Task.sleep(until: started + .seconds(2))
                let answeredIn2s = flooder.count("Pong")

                try await Harness.eventually("every ping answered", timeout: .seconds(60)) { flooder.count("Pong") == pings }
                let took = started.duration(to: .now)
                print("flooding peer: \(pings) pings sent in 0.3 s; \(answeredIn2s) answered after 2 s, all \(pings) after \(took)")
                // Burst 200, then 200 a second: at most about 600 in the first 2 s, and the whole flood takes about 14 s.
                #expect(answeredIn2s >= 200 && answeredIn2s <= 700, "\(answeredIn2s) answered in the first 2 s")
                #expect(took >= .seconds(12), "3,000 messages at 200 a second after a 200 burst take 14 s (took \(took))")
                #expect(flooder.isOpen, "throttled, not dropped")
                #expect(try await controller.agents().first?.state == "online")

                let metrics = try await controller.metricsText()
                #expect(Self.sample(metrics, #"steward_rejections_total{entry="agent_gateway",reason="rate_limited"}"#) == 1)
                #expect(controller.log.components(separatedBy: "throttled an agent sending messages faster than allowed").count - 1 == 1,
                        "logged once per connection, not per message")
            }
        }

        /// The value of one Prometheus sample line, nil if absent.
        static func sample(_ text: String, _ series: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
        }
    }
}

extension ControllerUnderTest {
    /// `GET /metrics` with the admin token.
    func metricsText() async throws -> String {
        String(decoding: try await api("GET", "/metrics").body, as: UTF8.self)
    }
}
