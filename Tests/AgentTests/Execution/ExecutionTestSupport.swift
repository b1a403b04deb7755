import Foundation
import Logging
@testable import StewardAgent

/// Collects the chunks a run delivers, in arrival order.
actor ExecutionChunkRecorder {
    private(set) var chunks: [OutputChunk] = []

    nonisolated var sink: OutputSink {
        { chunk in await self.append(chunk) }
    }

    private func append(_ chunk: OutputChunk) { chunks.append(chunk) }

    func bytes(_ stream: OutputStreamKind) -> [UInt8] {
        chunks.filter { $0.stream == stream }.flatMap(\.data)
    }

    func text(_ stream: OutputStreamKind) -> String {
        String(decoding: bytes(stream), as: UTF8.self)
    }

    /// True when each stream's chunks start exactly where the previous one ended, from 0.
    func offsetsAreContiguous() -> Bool {
        for stream in OutputStreamKind.allCases {
            var expected: UInt64 = 0
            for chunk in chunks where chunk.stream == stream {
                guard chunk.offset == expected else { return false }
                expected += UInt64(chunk.data.count)
            }
        }
        return true
    }
}

/// A private directory under /tmp, removed when the test is done with it.
struct ExecutionScratchDirectory: ~Copyable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "steward-exec-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes an executable shell script and returns its path.
    func script(_ name: String, _ body: String) throws -> String {
        let scriptPath = file(name)
        try ("#!/bin/sh\n" + body + "\n").write(toFile: scriptPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scriptPath)
        return scriptPath
    }

    /// Polls for a pid written by a child, for up to `seconds`.
    func waitForPID(in name: String, seconds: Double = 30) async throws -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: file(name), encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return pid
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

enum ExecutionTestFixtures {
    static let logger = Logger(label: "steward.tests.execution") { _ in SwiftLogNoOpLogHandler() }

    static func runner(grace: Duration = .milliseconds(300)) -> CommandRunner {
        CommandRunner(configuration: .init(killGrace: grace, searchPath: "/usr/bin:/bin"), logger: logger)
    }
}
