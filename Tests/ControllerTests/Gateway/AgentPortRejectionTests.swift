import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import StewardProtocol
import Testing
@testable import StewardController

/// A whole controller in process (state directory, agent port, API on 127.0.0.1:0), attacked on its agent port;
/// the rejection is read back from its live `/metrics` over HTTP.
@Suite("Agent port rejections in /metrics", .timeLimit(.minutes(1)))
struct AgentPortRejectionTests {
    static let quiet = Logger(label: "test.gateway", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs a controller whose handshake deadline is `handshakeTimeout` for the length of `body`.
    static func withController(
        handshakeTimeout: TimeAmount, limits: ControllerLimits = .default, _ body: (ControllerRuntime) async throws -> Void
    ) async throws {
        let directory = NSTemporaryDirectory() + "steward-metrics-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ControllerConfiguration(stateDirectory: directory)
        configuration.agentHost = "127.0.0.1"
        configuration.agentPort = 0
        configuration.apiPort = 0
        configuration.heartbeat = HeartbeatPolicy(interval: .seconds(10), handshakeTimeout: handshakeTimeout)
        configuration.resourceLimits = limits
        let runtime = try ControllerRuntime.prepare(configuration, logger: quiet)
        let group = ServiceGroup(services: try runtime.services(), logger: quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(runtime)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// `GET path` on the live API, one request per connection; the whole answer (head and body) as text.
    static func get(_ baseURL: String, _ path: String, token: String?) async throws -> String {
        let port = try #require(baseURL.split(separator: ":").last.flatMap { Int($0) })
        let received = RequestHeadDeadlineTests.Received()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(received) }
            .connect(host: "127.0.0.1", port: port).get()
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        try await channel.writeAndFlush(ByteBuffer(string: head + "\r\n")).get()
        try await channel.closeFuture.get()
        return received.text
    }

    @Test func theLiveEndpointWantsAToken() async throws {
        try await Self.withController(handshakeTimeout: .seconds(10)) { runtime in
            let token = try await runtime.ensureAdminToken()
            let url = await runtime.apiURL()
            let refused = try await Self.get(url, "/metrics", token: nil)
            #expect(refused.hasPrefix("HTTP/1.1 401"), "\(refused.prefix(200))")
            let answered = try await Self.get(url, "/metrics", token: token)
            #expect(answered.hasPrefix("HTTP/1.1 200"), "\(answered.prefix(200))")
            #expect(answered.lowercased().contains("content-type: text/plain; version=0.0.4"))
            #expect(PrometheusSamples.rejections(in: answered, .api, .missingToken) == 1, "the refused scrape itself")
        }
    }

    @Test func aPeerTricklingItsTLSHandshakeIsDroppedAndCountedOnce() async throws {
        try await Self.withController(handshakeTimeout: .milliseconds(500)) { runtime in
            let token = try await runtime.ensureAdminToken()
            let url = await runtime.apiURL()
            let before = try await Self.get(url, "/metrics", token: token)
            let agents = await runtime.advertisedAgentAddress()
            let port = try #require(agents.split(separator: ":").last.flatMap { Int($0) })

            // A TLS handshake record header announcing 64 bytes, then the ClientHello one byte at a time (slowloris).
            let hello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c, 0x03, 0x03] + Array(repeating: 0x2a, count: 53)
            let opened = ContinuousClock.now
            let trickling = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            for byte in hello.dropLast() {
                guard trickling.isActive else { break }
                try? await trickling.writeAndFlush(ByteBuffer(bytes: [byte])).get()
                try await Task.sleep(for: .milliseconds(100))
            }
            try await trickling.closeFuture.get()
            let lifetime = opened.duration(to: .now)
            #expect(lifetime >= .milliseconds(500) && lifetime < .seconds(5), "closed after \(lifetime)")

            let after = try await Self.get(url, "/metrics", token: token)
            let counted = PrometheusSamples.rejections(in: after, .agentGateway, .handshakeTimeout)
                - PrometheusSamples.rejections(in: before, .agentGateway, .handshakeTimeout)
            #expect(counted == 1)
            #expect(PrometheusSamples.rejections(in: after, .agentGateway, .tlsHandshake) == 0, "counted once, as a timeout")
            #expect(PrometheusSamples.value(in: after, "steward_agent_connections_total") == 1)
            #expect(PrometheusSamples.value(in: after, "steward_agents_online") == 0)
        }
    }
}
