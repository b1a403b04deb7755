import Foundation
import Testing
@testable import StewardController

@Suite("Controller limits in controller.yaml")
struct ControllerLimitsConfigTests {
    private func parse(_ text: String) throws -> ControllerLimits {
        try ControllerConfigFile.parse(text, path: "/etc/steward/controller.yaml").resourceLimits
    }

    @Test func everyLimitIsRead() throws {
        let limits = try parse("""
            max_agent_connections: 500
            agent_messages_per_second: 300
            agent_message_burst: 600
            enrollment_failures_per_minute: 4
            max_jobs_per_agent: 2
            max_output_per_run: 512KiB
            job_retention: 30d
            output_retention: 12h
            """)
        #expect(limits.maxAgentConnections == 500)
        #expect(limits.agentMessagesPerSecond == 300)
        #expect(limits.agentMessageBurst == 600)
        #expect(limits.enrollmentFailuresPerMinute == 4)
        #expect(limits.maxJobsPerAgent == 2)
        #expect(limits.maxOutputPerRun == 512 << 10)
        #expect(limits.jobRetention == .seconds(30 * 86_400))
        #expect(limits.outputRetention == .seconds(12 * 3_600))
    }

    @Test func theDefaultsAreSafeAndBounded() throws {
        let limits = try parse("")
        #expect(limits == ControllerLimits.default)
        #expect(limits.maxAgentConnections == 20_000)
        #expect(limits.maxJobsPerAgent == 32)
        #expect(limits.maxOutputPerRun == 16 << 20)
        #expect(limits.jobRetention == .seconds(365 * 86_400))
        #expect(limits.outputRetention == .seconds(90 * 86_400))
    }

    @Test(arguments: [("1048576", Int64(1 << 20)), ("16MiB", 16 << 20), ("2GiB", 2 << 30), ("1024", 1024)])
    func sizesTakeBinaryUnits(text: String, bytes: Int64) throws {
        #expect(try parse("max_output_per_run: \(text)").maxOutputPerRun == bytes)
    }

    @Test func foreverKeepsEverything() throws {
        let limits = try parse("job_retention: forever\noutput_retention: forever")
        #expect(limits.jobRetention == nil)
        #expect(limits.outputRetention == nil)
    }

    static let refused: [(String, String)] = [
        ("max_agent_connections: 0", "max_agent_connections: '0' must be a whole number from 1 to 1000000"),
        ("max_agent_connections: lots", "max_agent_connections: 'lots' must be a whole number"),
        ("agent_messages_per_second: 5", "agent_messages_per_second: '5' must be a whole number from 10"),
        ("agent_message_burst: -1", "agent_message_burst: '-1' must be a whole number"),
        ("enrollment_failures_per_minute: 0", "enrollment_failures_per_minute: '0' must be a whole number from 1"),
        ("max_jobs_per_agent: 1.5", "max_jobs_per_agent: '1.5' must be a whole number"),
        ("max_output_per_run: 16MB", "max_output_per_run: '16MB' must be a size"),
        ("max_output_per_run: 100", "max_output_per_run: '100' must be a size from 1024"),
        ("max_output_per_run: 2048GiB", "max_output_per_run: '2048GiB' must be a size"),
        ("max_output_per_run: 99999999999999999999GiB", "max_output_per_run: '99999999999999999999GiB' must be a size"),
        ("job_retention: never", "job_retention: 'never' is not a duration such as 30d or 12h, nor 'forever'"),
        ("output_retention: 0d", "output_retention: '0d' is not a duration"),
    ]

    @Test(arguments: refused)
    func aBadLimitIsRefusedWithItsLine(text: String, message: String) {
        #expect {
            try parse("state_dir: /x\n" + text)
        } throws: { error in
            "\(error)".hasPrefix("/etc/steward/controller.yaml:2: " + message)
        }
    }
}
