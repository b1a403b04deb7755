import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real Synapse homeserver on a free loopback port, set up, run and stopped through `scripts/synapse.sh`;
/// the test owns the process (so it never outlives the test) and can kill and restart it.
final class SynapseUnderTest: @unchecked Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let script = "\(packageRoot)/scripts/synapse.sh"
    static var venv: String {
        ProcessInfo.processInfo.environment["STEWARD_SYNAPSE_VENV"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(packageRoot)/.build-synapse-venv"
    }

    /// True when `scripts/install-synapse.sh` has run.
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "\(venv)/bin/python") }
    /// CI sets `STEWARD_REQUIRE_CHAT_SERVERS=1`: a missing server is then a failure, not a skip.
    static var isRequired: Bool { ProcessInfo.processInfo.environment["STEWARD_REQUIRE_CHAT_SERVERS"] == "1" }
    static let missing = "Synapse is not installed (run scripts/install-synapse.sh); set STEWARD_REQUIRE_CHAT_SERVERS=1 to fail instead of skip"

    let directory: String
    let port: Int
    private(set) var process: BackgroundProcess?

    init(root: String) throws {
        directory = "\(root)/synapse"
        port = try Self.freeLoopbackPort()
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var logPath: String { "\(directory)/synapse.log" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Writes a fresh homeserver config (rate limits off, loopback only).
    func setup() async throws {
        let output = try await Harness.run("/bin/bash", [Self.script, "setup", directory, "\(port)"], timeout: .seconds(60))
        guard output.status == 0 else { throw HarnessError("synapse.sh setup failed: \(output.stderr)") }
    }

    /// Starts Synapse as the test's child and waits until it serves.
    func start() async throws {
        let process = try BackgroundProcess("/bin/bash", [Self.script, "run", directory], logPath: logPath)
        self.process = process
        let ready = try await Harness.run("/bin/bash", [Self.script, "wait", directory, "90"], timeout: .seconds(100))
        guard ready.status == 0 else { throw HarnessError("Synapse did not start: \(ready.stderr)") }
    }

    /// SIGKILL: the server vanishes mid-conversation, connections reset.
    func kill() {
        process?.kill(SIGKILL)
        process?.process.waitUntilExit()
    }

    func stop() async { await process?.stop() }

    /// Registers a user with the shared-secret admin API.
    func register(_ user: String, password: String) async throws -> MatrixTestUser {
        struct Registered: Decodable { var user_id: String; var access_token: String }
        let output = try await Harness.run("/bin/bash", [Self.script, "register", directory, user, password], timeout: .seconds(30))
        guard output.status == 0, let registered = try? JSONDecoder().decode(Registered.self, from: Data(output.stdout.utf8)) else {
            throw HarnessError("registering \(user) failed: \(output.stdout)\(output.stderr)")
        }
        return MatrixTestUser(homeserver: url, userID: registered.user_id, token: registered.access_token)
    }

    /// A port the kernel just handed out on 127.0.0.1 (closed again, so Synapse can bind it).
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw HarnessError("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
