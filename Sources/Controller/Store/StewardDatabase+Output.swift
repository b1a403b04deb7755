import Foundation
import GRDB

extension StewardDatabase {
    /// Stores a chunk of a run's output and adds its size to the run's byte count, in one transaction.
    /// Returns `false`, storing nothing, when this (job, agent, stream, offset) is already stored: a replay.
    /// Throws `.notFound` if the run does not exist and `.invalidArgument` for a negative offset.
    @discardableResult
    public func appendOutput(
        jobID: String, agentID: String, stream: OutputStreamKind, offset: Int64, data: Data
    ) async throws -> Bool {
        guard offset >= 0 else {
            throw StoreError(.invalidArgument, "output offset \(offset) is negative")
        }
        return try await grouped.write { db in
            // Check first: the composite foreign key would also refuse it, but with a less useful error.
            guard try Self.runRequest(jobID: jobID, agentID: agentID).isEmpty(db) == false else {
                throw StoreError(.notFound, "no run \(jobID)/\(agentID)")
            }
            let chunk = OutputChunkRecord(jobID: jobID, agentID: agentID, stream: stream, offset: offset, data: data)
            try chunk.insert(db, onConflict: .ignore)
            guard db.changesCount == 1 else { return false }
            let counter = stream == .stdout ? RunRecord.Columns.stdoutBytes : RunRecord.Columns.stderrBytes
            try Self.runRequest(jobID: jobID, agentID: agentID)
                .updateAll(db, counter.set(to: counter + Int64(data.count)))
            return true
        }
    }

    /// Stores only the bytes of a chunk beyond what is committed for its stream, so a chunk resent with
    /// other boundaries (after a reconnect) adds nothing twice, and returns the stream's committed end
    /// offset. The committed size is the run's byte counter, read in the same transaction, so the cost
    /// does not grow with the number of chunks already stored. Throws `.notFound` for an unknown run.
    ///
    /// At most `limit` bytes are stored per run (both streams): the rest is reported committed, so the
    /// agent does not send it again, but dropped, and the run is marked truncated.
    public func appendOutputTail(
        jobID: String, agentID: String, stream: OutputStreamKind, offset: Int64, data: Data, limit: Int64 = .max
    ) async throws -> Int64 {
        guard offset >= 0, offset <= Int64.max - Int64(data.count) else {
            throw StoreError(.invalidArgument, "output offset \(offset) is out of range")
        }
        return try await grouped.write { db in
            // Hot path (every chunk): cached statements; the column name comes from our own enum, not input.
            let counter = stream == .stdout ? "stdout_bytes" : "stderr_bytes"
            let read = try db.cachedStatement(sql: """
                SELECT \(counter), stdout_bytes + stderr_bytes FROM runs WHERE job_id = ? AND agent_id = ?
                """)
            guard let sizes = try Row.fetchOne(read, arguments: [jobID, agentID]) else {
                throw StoreError(.notFound, "no run \(jobID)/\(agentID)")
            }
            let committed: Int64 = sizes[0], stored: Int64 = sizes[1]
            let end = offset + Int64(data.count)
            guard end > committed, !data.isEmpty else { return committed }
            let start = max(offset, committed)
            var tail = data.subdata(in: data.startIndex + Int(start - offset)..<data.endIndex)
            let room = max(0, limit - stored)
            if Int64(tail.count) > room {
                tail = tail.prefix(Int(room))
                let mark = try db.cachedStatement(sql: "UPDATE runs SET truncated = 1 WHERE job_id = ? AND agent_id = ?")
                try mark.execute(arguments: [jobID, agentID])
                guard !tail.isEmpty else { return end }
            }
            // Ignored if a chunk already starts there (possible only after the agent dropped output and left a gap).
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO output_chunks (job_id, agent_id, stream, "offset", data) VALUES (?, ?, ?, ?, ?)
                """)
            try insert.execute(arguments: [jobID, agentID, stream, start, tail])
            if db.changesCount == 1 {
                let add = try db.cachedStatement(sql: "UPDATE runs SET \(counter) = \(counter) + ? WHERE job_id = ? AND agent_id = ?")
                try add.execute(arguments: [tail.count, jobID, agentID])
            }
            return end
        }
    }

    /// A page of a job's output in arrival order: chunks with `seq` greater than `afterSeq`
    /// (start at 0), from one agent or all, at most `limit` (clamped to 1...10,000).
    public func output(
        jobID: String, agentID: String? = nil, afterSeq: Int64 = 0, limit: Int = 1_000
    ) async throws -> [OutputChunkRecord] {
        try await writer.read { db in
            var request = OutputChunkRecord
                .filter(OutputChunkRecord.Columns.jobID == jobID && OutputChunkRecord.Columns.seq > afterSeq)
            if let agentID {
                request = request.filter(OutputChunkRecord.Columns.agentID == agentID)
            }
            return try request.order(OutputChunkRecord.Columns.seq).limit(Self.clampedLimit(limit)).fetchAll(db)
        }
    }

    /// The number of bytes stored for one stream of a run.
    public func outputBytes(jobID: String, agentID: String, stream: OutputStreamKind) async throws -> Int64 {
        try await writer.read { db in
            let total = try Int64.fetchOne(db, OutputChunkRecord
                .filter(OutputChunkRecord.Columns.jobID == jobID
                    && OutputChunkRecord.Columns.agentID == agentID
                    && OutputChunkRecord.Columns.stream == stream)
                .select(sum(length(OutputChunkRecord.Columns.data))))
            return total ?? 0
        }
    }
}
