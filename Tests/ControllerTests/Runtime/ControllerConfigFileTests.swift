import Foundation
import Testing
@testable import StewardController

@Suite("Controller configuration file")
struct ControllerConfigFileTests {
    private func parse(_ text: String) throws -> ControllerConfiguration {
        try ControllerConfigFile.parse(text, path: "/etc/steward/controller.yaml")
    }

    /// Expects a `ConfigurationError` whose message starts with `prefix` and contains `fragment`.
    private func expectError(_ text: String, startsWith prefix: String, contains fragment: String = "",
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            try parse(text)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.message.hasPrefix(prefix) && (fragment.isEmpty || error.message.contains(fragment))
        }
    }

    @Test func readsEverySetting() throws {
        let configuration = try parse("""
            # comments are fine
            state_dir: /srv/steward
            agent_listen: "[::]:8443"
            api_listen: 127.0.0.1:9080
            advertise: steward.example.com:8443
            heartbeat_interval: 15s
            agent_certificate_validity: 30d
            result_grace: 5m
            max_frame_bytes: 2097152
            handshake_timeout: 3s
            api_header_timeout: 1m
            """)
        #expect(configuration.stateDirectory == "/srv/steward")
        #expect(configuration.agentHost == "::")
        #expect(configuration.agentPort == 8443)
        #expect(configuration.apiHost == "127.0.0.1")
        #expect(configuration.apiPort == 9080)
        #expect(configuration.advertisedAddress == "steward.example.com:8443")
        #expect(configuration.heartbeat.interval == .seconds(15))
        #expect(configuration.agentCertificateValidity == .seconds(30 * 86_400))
        #expect(configuration.resultGrace == .seconds(300))
        #expect(configuration.limits.maxFrameLength == 2_097_152)
        #expect(configuration.heartbeat.handshakeTimeout == .seconds(3))
        #expect(configuration.apiHeaderTimeout == .seconds(60))
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n"])
    func anEmptyFileKeepsTheDefaults(text: String) throws {
        let configuration = try parse(text)
        let defaults = ControllerConfiguration(stateDirectory: ControllerConfiguration.defaultStateDirectory())
        #expect(configuration.stateDirectory == defaults.stateDirectory)
        #expect(configuration.agentPort == 7443)
        #expect(configuration.apiHost == "127.0.0.1")
        #expect(configuration.apiPort == 7080)
        #expect(configuration.advertisedAddress == nil)
        #expect(configuration.resultGrace == .seconds(600))
        #expect(configuration.heartbeat.handshakeTimeout == .seconds(10))
        #expect(configuration.apiHeaderTimeout == .seconds(30))
    }

    @Test func anUnknownKeyIsNamedWithItsLine() {
        expectError("""
            state_dir: /srv/steward
            api_listen: 127.0.0.1:9080
            api_lisen: 127.0.0.1:9090
            """, startsWith: "/etc/steward/controller.yaml:3: unknown setting 'api_lisen'", contains: "api_listen")
    }

    static let badDurations = ["10", "0s", "-5m", "5w", "1.5h", "s", "1 h", "99999999999999999d", "36501d"]

    @Test(arguments: badDurations)
    func aBadDurationIsRefusedWithItsLine(value: String) {
        expectError("state_dir: /x\nresult_grace: \"\(value)\"\n",
                    startsWith: "/etc/steward/controller.yaml:2: result_grace: '\(value)' is not a duration")
    }

    @Test func aHundredYearsIsTheLongestDuration() throws {
        #expect(try parse("agent_certificate_validity: 36500d").agentCertificateValidity == .seconds(36_500 * 86_400))
    }

    static let badAddresses = ["7443", "localhost", ":7443", "host:", "host:99999", "host:-1", "[::1]7443", "[::1]", "[]:80", "host:port"]

    @Test(arguments: badAddresses)
    func aBadListenAddressIsRefused(value: String) {
        expectError("agent_listen: \"\(value)\"", startsWith: "/etc/steward/controller.yaml:1: agent_listen: '\(value)' is not")
    }

    @Test func aBadAdvertisedAddressIsRefused() {
        expectError("advertise: nohost", startsWith: "/etc/steward/controller.yaml:1: advertise: 'nohost' is not host:port")
    }

    @Test(arguments: ["0", "131071", "67108865", "lots"])
    func frameLimitsOutsideTheRangeAreRefused(value: String) {
        expectError("max_frame_bytes: \(value)", startsWith: "/etc/steward/controller.yaml:1: max_frame_bytes: must be between")
    }

    @Test func aListInsteadOfAMappingIsRefused() {
        expectError("- state_dir\n- api_listen\n", startsWith: "/etc/steward/controller.yaml:1: expected a mapping")
    }

    @Test func aNestedValueIsRefused() {
        expectError("state_dir: /x\napi_listen:\n  host: 127.0.0.1\n  port: 80\n",
                    startsWith: "/etc/steward/controller.yaml:3: api_listen must be a single value")
    }

    @Test func invalidYAMLIsRefused() {
        expectError("state_dir: [unclosed\n", startsWith: "/etc/steward/controller.yaml: not valid YAML")
    }

    @Test func loadReportsAMissingFile() {
        #expect(throws: ConfigurationError.self) {
            try ControllerConfigFile.load(path: "/nonexistent/steward-\(UUID().uuidString).yaml")
        }
    }

    @Test func loadReadsAFileFromDisk() throws {
        let path = NSTemporaryDirectory() + "steward-config-\(UUID().uuidString).yaml"
        try Data("api_listen: 0.0.0.0:8080\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try ControllerConfigFile.load(path: path)
        #expect(configuration.apiHost == "0.0.0.0")
        #expect(configuration.apiPort == 8080)
    }
}
