import Foundation
import GRDB

/// Read-only SQL over a controller's `steward.sqlite`, to count rows and bytes exactly as committed
/// (while the controller runs, or after it was killed).
struct StoreReader {
    let queue: DatabaseQueue

    init(stateDir: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: "\(stateDir)/steward.sqlite", configuration: configuration)
    }

    struct Run: Equatable {
        var agentID: String
        var status: String
        var stdoutBytes: Int64
        var stderrBytes: Int64
        var error: String?
    }

    struct Chunk: Equatable {
        var agentID: String
        var stream: Int
        var offset: Int64
        var data: Data
    }

    func jobStatus(_ jobID: String) throws -> String? {
        try queue.read { try String.fetchOne($0, sql: "SELECT status FROM jobs WHERE id = ?", arguments: [jobID]) }
    }

    func runs(_ jobID: String) throws -> [Run] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT agent_id, status, stdout_bytes, stderr_bytes, error FROM runs WHERE job_id = ? ORDER BY agent_id
                """, arguments: [jobID]).map {
                Run(agentID: $0["agent_id"], status: $0["status"], stdoutBytes: $0["stdout_bytes"], stderrBytes: $0["stderr_bytes"],
                    error: $0["error"])
            }
        }
    }

    /// Runs per status.
    func statusCounts(_ jobID: String) throws -> [String: Int] {
        try queue.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM runs WHERE job_id = ? GROUP BY status", arguments: [jobID]) {
                counts[row["status"]] = row["n"]
            }
            return counts
        }
    }

    func chunkCount(_ jobID: String) throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM output_chunks WHERE job_id = ?", arguments: [jobID]) ?? 0 }
    }

    /// Every chunk of a job, by agent, stream and offset.
    func chunks(_ jobID: String) throws -> [Chunk] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT agent_id, stream, "offset", data FROM output_chunks WHERE job_id = ? ORDER BY agent_id, stream, "offset"
                """, arguments: [jobID]).map {
                Chunk(agentID: $0["agent_id"], stream: $0["stream"], offset: $0["offset"], data: $0["data"])
            }
        }
    }

    /// Agent ids by name.
    func agentIDs() throws -> [String: String] {
        try queue.read { db in
            var ids: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM agents WHERE status = 'active'") { ids[row["name"]] = row["id"] }
            return ids
        }
    }
}

/// How a run's stored chunks of one stream tile [0, total): contiguous, no overlap, no gap.
struct ChunkCoverage: Equatable, CustomStringConvertible {
    var chunks = 0
    var bytes: Int64 = 0
    /// Offsets where a chunk did not start exactly at the end of the previous one.
    var breaks: [Int64] = []

    init(_ chunks: [StoreReader.Chunk]) {
        var end: Int64 = 0
        for chunk in chunks.sorted(by: { $0.offset < $1.offset }) {
            if chunk.offset != end { breaks.append(chunk.offset) }
            end = chunk.offset + Int64(chunk.data.count)
            bytes += Int64(chunk.data.count)
            self.chunks += 1
        }
    }

    var isContiguous: Bool { breaks.isEmpty }
    var description: String { "\(chunks) chunks, \(bytes) bytes, breaks at \(breaks)" }
}

extension ControllerUnderTest {
    /// `POST /api/v1/jobs` with the admin token, straight over a socket (no CLI process per job); the status code.
    func submitOverAPI(target: String, action: [String]) async throws -> Int {
        try await api("POST", "/api/v1/jobs", json: ["target": target, "action": action]).status
    }
}
