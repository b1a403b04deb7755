import StewardProtocol

extension JobSupervisor {
    /// Counts a newly finished job's spooled output and, unless `enforce` is false (recovery enforces once
    /// at the end), keeps the spool within its budget. Returns true when this job's own output was dropped.
    @discardableResult
    func noteFinishedOutput(_ id: SpoolJobID, enforce: Bool = true) -> Bool {
        let size = OutputStreamKind.allCases.reduce(UInt64(0)) { total, stream in
            total + ((try? spool.outputSize(id, stream: stream)) ?? 0)
        }
        finishedOutputBytes[id] = size
        return enforce && enforceSpoolBudget().contains(id)
    }

    /// Keeps the output held for finished jobs (awaiting the controller's acknowledgement, e.g. while it
    /// is unreachable) within `configuration.spoolMaxBytes`: the oldest jobs' output goes first, and
    /// results are never dropped; each affected result is marked truncated, so history says output is
    /// missing. Running jobs are bounded by the policy's `output_max_bytes` instead. Returns the jobs
    /// whose output was dropped.
    @discardableResult
    func enforceSpoolBudget() -> Set<SpoolJobID> {
        var total = finishedOutputBytes.values.reduce(0, +)
        guard total > configuration.spoolMaxBytes else { return [] }
        var dropped: Set<SpoolJobID> = []
        // Job ids are time-ordered: sorted is oldest first.
        for id in finishedOutputBytes.keys.sorted() where total > configuration.spoolMaxBytes {
            guard let size = finishedOutputBytes[id], size > 0 else { continue }
            do {
                try spool.dropOutput(id)
            } catch {
                logger.error("cannot drop spooled output", metadata: ["job.id": "\(id)", "error": "\(error)"])
                continue
            }
            total -= size
            finishedOutputBytes[id] = 0
            dropped.insert(id)
            logger.warning("spool over its limit: dropped a finished job's output, kept its result", metadata: [
                "job.id": "\(id)", "output.bytes": "\(size)", "spool.max_bytes": "\(configuration.spoolMaxBytes)",
            ])
        }
        return dropped
    }
}
