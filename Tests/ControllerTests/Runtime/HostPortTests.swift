import Testing
@testable import StewardController

@Suite("Listen addresses")
struct HostPortTests {
    static let valid: [(String, String, Int)] = [
        ("127.0.0.1:7080", "127.0.0.1", 7080),
        ("0.0.0.0:0", "0.0.0.0", 0),
        ("steward.example.com:65535", "steward.example.com", 65_535),
        ("[::1]:7443", "::1", 7443),
        ("[::]:0", "::", 0),
        ("[fe80::1%eth0]:8443", "fe80::1%eth0", 8443),
    ]

    @Test(arguments: valid)
    func parsesHostAndPort(text: String, host: String, port: Int) throws {
        let parsed = try HostPort.parse(text, flag: "--listen")
        #expect(parsed.host == host)
        #expect(parsed.port == port)
    }

    static let invalid = ["", ":", "7443", ":7443", "host:", "host:65536", "host:-1", "host:+", "[::1]", "[::1]7443", "[]:7443", "[::1:7443"]

    @Test(arguments: invalid)
    func refusesAnythingElseNamingTheFlag(text: String) {
        #expect {
            try HostPort.parse(text, flag: "--listen")
        } throws: { error in
            (error as? ConfigurationError)?.message.hasPrefix("--listen: '\(text)' is not") == true
        }
    }
}
