import Foundation
import Testing

/// The fault suites, one at a time: each loads the machine (200 simulated agents, a 128 MiB flood, SIGKILLs
/// and restarts). Side by side, and next to the rest of `swift test`, they turned other suites' short
/// timeouts (5 s for a shell to start) into false failures on a small machine. Suites run in name order,
/// so the heaviest (`StreamingFanOutCrashTests`) starts last.
@Suite(.serialized, .timeLimit(.minutes(10)))
enum FaultSuites {
    /// In a whole-suite run, lets the unit tests (about 15 s) finish before the first fault suite starts;
    /// a filtered run (`--filter`) starts at once.
    static func settle() async throws {
        guard !CommandLine.arguments.contains(where: { $0.hasPrefix("--filter") }) else { return }
        while let age = processAge(), age < 15 {
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Seconds since this test process started (from /proc), nil where /proc cannot tell.
    static func processAge() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"),
            let uptime = (try? String(contentsOfFile: "/proc/uptime", encoding: .utf8))?.split(separator: " ").first.flatMap({ Double($0) })
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        return uptime - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
