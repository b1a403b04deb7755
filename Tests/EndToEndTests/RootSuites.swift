import Foundation
import Testing

/// The suites that change the machine (network namespaces, tmpfs mounts) and so need root. A developer
/// who is not root skips them; CI, which runs as root, sets `STEWARD_REQUIRE_ROOT_SUITES=1` so that a
/// missing privilege or tool is a failure there, never a silent skip.
enum RootSuites {
    static let required = ProcessInfo.processInfo.environment["STEWARD_REQUIRE_ROOT_SUITES"] == "1"
    static let isRoot = getuid() == 0

    /// The first of `candidates` that is an executable file.
    static func tool(_ candidates: [String]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool and throws with its output when it fails.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) async throws -> String {
        let output = try await Harness.run(tool, arguments, timeout: .seconds(30))
        guard output.status == 0 else {
            throw HarnessError("\(tool) \(arguments.joined(separator: " ")) failed (\(output.status)): \(output.stderr)\(output.stdout)")
        }
        return output.stdout
    }
}
