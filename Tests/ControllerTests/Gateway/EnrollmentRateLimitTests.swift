import Foundation
import Logging
import StewardAgent
import StewardProtocol
import Synchronization
import Testing
@testable import StewardController

@Suite("Enrollment brute force is rate limited", .timeLimit(.minutes(1)))
struct EnrollmentRateLimitTests {
    /// A clock the test moves by hand.
    final class Clock: Sendable {
        let start = ContinuousClock.now
        private let offset = Mutex(Duration.zero)
        func advance(_ by: Duration) { offset.withLock { $0 += by } }
        var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    }

    @Test func anAddressMayFailItsBudgetThenWaitsForItToRefill() throws {
        let clock = Clock()
        let limiter = EnrollmentRateLimiter(failuresPerMinute: 3, now: { clock.now })
        #expect(limiter.delay(for: "10.0.0.9") == nil)
        #expect(!limiter.recordFailure("10.0.0.9"))
        #expect(!limiter.recordFailure("10.0.0.9"))
        #expect(limiter.recordFailure("10.0.0.9"), "the third failure uses up the budget: log it")
        let delay = try #require(limiter.delay(for: "10.0.0.9"))
        #expect(delay == .seconds(20), "one failure back every 20 s")
        #expect(limiter.delay(for: "10.0.0.10") == nil, "other addresses are not affected")

        clock.advance(.seconds(19))
        #expect(limiter.delay(for: "10.0.0.9") == .seconds(1))
        clock.advance(.seconds(1))
        #expect(limiter.delay(for: "10.0.0.9") == nil)
        #expect(limiter.recordFailure("10.0.0.9"), "one attempt back, and it failed again")
    }

    @Test func memoryStaysBoundedUnderManyAddresses() {
        let clock = Clock()
        let limiter = EnrollmentRateLimiter(failuresPerMinute: 2, maxTracked: 100, now: { clock.now })
        for index in 0..<1_000 { _ = limiter.recordFailure("10.0.\(index / 256).\(index % 256)") }
        #expect(limiter.trackedCount <= 100)
        // Refilled buckets are forgotten first: after a minute, one new address clears them all.
        clock.advance(.seconds(60))
        _ = limiter.recordFailure("192.0.2.1")
        #expect(limiter.trackedCount == 1)
    }

    /// A live controller allowing 3 failures a minute: 3 forged tokens are refused as `bad_token`, then even
    /// a valid token from that address is refused as `rate_limited`, and nothing is enrolled.
    @Test func aBruteForcingAddressIsRefusedBeforeItsTokenIsLookedAt() async throws {
        var limits = ControllerLimits()
        limits.enrollmentFailuresPerMinute = 3
        try await AgentPortRejectionTests.withController(handshakeTimeout: .seconds(10), limits: limits) { runtime in
            let address = await runtime.advertisedAgentAddress()
            let directory = NSTemporaryDirectory() + "steward-agent-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let enroller = Enroller(
                stateDirectory: AgentStateDirectory(path: directory), facts: { Self.facts }, responseTimeout: .seconds(10),
                logger: AgentPortRejectionTests.quiet)
            for _ in 0..<3 {
                let forged = try JoinToken.generate(controller: address, caFingerprint: runtime.authority.caFingerprint)
                await #expect(throws: (any Error).self) {
                    _ = try await enroller.enroll(EnrollmentRequest(token: forged.encoded, name: "web-1"))
                }
            }
            #expect(runtime.metrics.rejections(.enrollment, .badToken) == 3)

            let valid = try await runtime.tokenIssuer().create(.init(labels: [:], ttlSeconds: 600, uses: 1), createdBy: "test")
            await #expect {
                _ = try await enroller.enroll(EnrollmentRequest(token: valid.token, name: "web-1"))
            } throws: { error in
                "\(error)".contains("too many failed enrollments")
            }
            #expect(runtime.metrics.rejections(.enrollment, .rateLimited) == 1)
            #expect(runtime.metrics.rejections(.enrollment, .badToken) == 3, "the valid token was not even checked")
            #expect(try await runtime.database.agents().isEmpty, "nothing was enrolled")
        }
    }

    static let facts = HostFacts(
        hostname: "web-1", osName: "Debian", kernel: "6.1", architecture: "x86_64", cpuCount: 2, memoryBytes: 1 << 30,
        ipAddresses: [], bootID: "boot-1", agentVersion: "test")
}
