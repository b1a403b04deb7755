import Foundation
import Testing

/// A real ngIRCd in a temporary directory on free loopback ports (plain and TLS), started and stopped
/// through `scripts/ngircd.sh`; its self-signed certificate is `certificate`.
final class NgIRCdUnderTest: @unchecked Sendable {
    let directory: String
    let plainPort: Int
    let tlsPort: Int
    let password: String?

    static let script: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("scripts/ngircd.sh").path
    }()

    /// Whether an `ngircd` binary is on PATH (or in the sbin directories apt puts it in).
    static let installed: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin"]
        return directories.contains { FileManager.default.isExecutableFile(atPath: "\($0)/ngircd") }
    }()

    /// CI sets `STEWARD_REQUIRE_CHAT_SERVERS=1`: a missing server is then a failure, not a skip.
    static let required = ProcessInfo.processInfo.environment["STEWARD_REQUIRE_CHAT_SERVERS"] == "1"

    static let skipNote: Comment =
        "ngircd is not installed (scripts/install-ngircd.sh installs it); set STEWARD_REQUIRE_CHAT_SERVERS=1 to fail instead of skipping"

    static func requireInstalled() throws {
        guard installed else {
            throw HarnessError("STEWARD_REQUIRE_CHAT_SERVERS=1 but ngircd is not installed: run scripts/install-ngircd.sh")
        }
    }

    init(root: String, password: String? = nil) throws {
        directory = "\(root)/ngircd"
        plainPort = try TestSocket.freePort()
        var tls = try TestSocket.freePort()
        while tls == plainPort { tls = try TestSocket.freePort() }
        tlsPort = tls
        self.password = password
    }

    var certificate: String { "\(directory)/server.crt" }
    var log: String { (try? String(contentsOfFile: "\(directory)/ngircd.log", encoding: .utf8)) ?? "" }

    func start() async throws {
        let output = try await Harness.run(
            "/bin/bash", [Self.script, "start", directory, "\(plainPort)", "\(tlsPort)"] + (password.map { [$0] } ?? []), timeout: .seconds(60))
        guard output.status == 0 else { throw HarnessError("ngircd did not start: \(output.stdout)\(output.stderr)") }
    }

    func stop() async {
        _ = try? await Harness.run("/bin/bash", [Self.script, "stop", directory], timeout: .seconds(30))
    }
}
