import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import StewardController

@Suite("Agent connection limit", .timeLimit(.minutes(1)))
struct ConnectionAdmissionTests {
    @Test func admitsUpToTheLimitAndLogsOnlyTheFirstRefusalOfAStreak() {
        let admission = ConnectionAdmission(limit: 2)
        #expect(admission.admit() == .admitted)
        #expect(admission.admit() == .admitted)
        #expect(admission.admit() == .refused(firstAtLimit: true))
        #expect(admission.admit() == .refused(firstAtLimit: false))
        admission.release()
        #expect(admission.openCount == 1)
        #expect(admission.admit() == .admitted)
        #expect(admission.admit() == .refused(firstAtLimit: true), "a new streak after the count went below the limit")
    }

    /// A live controller with `max_agent_connections: 2`: of three connections, one is closed at once and
    /// counted (which one depends on which event loop accepts first); once another goes, a new one is served.
    @Test func aLiveControllerClosesConnectionsPastTheLimit() async throws {
        var limits = ControllerLimits()
        limits.maxAgentConnections = 2
        try await AgentPortRejectionTests.withController(handshakeTimeout: .seconds(30), limits: limits) { runtime in
            let port = try await AgentPortTLSRejectionTests.agentPort(runtime)
            var channels: [any Channel] = []
            for _ in 0..<3 { channels.append(try await Self.connect(port)) }
            try await eventually { channels.filter(\.isActive).count == 2 }
            try await Task.sleep(for: .milliseconds(200))
            #expect(channels.filter(\.isActive).count == 2, "the two admitted stay open")
            #expect(runtime.metrics.rejections(.agentGateway, .tooManyConnections) == 1)

            let open = channels.filter(\.isActive)
            try await open[0].close()
            try await eventually { await Self.servedOneMore(port) }
            try? await open[1].close()
        }
    }

    static func connect(_ port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
    }

    /// True when a new connection is still open 300 ms after connecting (a refused one is closed at once).
    static func servedOneMore(_ port: Int) async -> Bool {
        guard let channel = try? await connect(port) else { return false }
        try? await Task.sleep(for: .milliseconds(300))
        defer { channel.close(promise: nil) }
        return channel.isActive
    }
}
