#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import StewardProtocol

extension JobSupervisor {
    /// A chunk from a running job: spooled, then sent live when the connection is caught up.
    func recordOutput(_ id: SpoolJobID, _ chunk: OutputChunk) {
        guard var run = runs[id] else { return }
        do {
            try spool.appendOutput(id, stream: chunk.stream, bytes: chunk.data)
        } catch {
            logger.error("cannot spool output", metadata: ["job.id": "\(id)", "error": "\(error)"])
        }
        guard let link else { return }
        if run.sentGeneration != link.generation {
            run.sentGeneration = link.generation
            run.sent = acked[id] ?? [:]
        }
        let sent = run.sent[chunk.stream] ?? 0
        let end = chunk.offset + UInt64(chunk.data.count)
        if sent == chunk.offset {
            sendOutput(id, stream: chunk.stream, offset: chunk.offset, data: chunk.data, on: link)
            run.sent[chunk.stream] = end
        } else if sent < end {
            // Behind (a reconnect happened mid-run): the spool holds everything from `sent` on.
            run.sent[chunk.stream] = sendSpooledOutput(id, stream: chunk.stream, from: sent, on: link)
        }
        runs[id] = run
    }

    /// A new connection while `id` runs: send what the controller has not acknowledged.
    func catchUp(_ id: SpoolJobID, on link: Link) {
        guard var run = runs[id] else { return }
        run.sentGeneration = link.generation
        run.sent = [:]
        for stream in OutputStreamKind.allCases {
            run.sent[stream] = sendSpooledOutput(id, stream: stream, from: acked[id]?[stream] ?? 0, on: link)
        }
        runs[id] = run
    }

    /// Stores the final result (durably, before anything is sent), then delivers it.
    func finish(_ id: SpoolJobID, _ result: Wire.JobResult) {
        var result = result
        do {
            if runs[id]?.spooled == false { try spool.createForResult(id) }
            try spool.writeResult(id, result)
            try spool.removeRebootMarker(id)
        } catch {
            // Sending still helps; a crash before the ack would report the job lost.
            logger.error("cannot spool the result", metadata: ["job.id": "\(id)", "error": "\(error)"])
        }
        let run = runs.removeValue(forKey: id)
        finished.insert(id)
        if noteFinishedOutput(id) { result.outputTruncated = true }
        logger.info(
            "job finished",
            metadata: ["job.id": "\(id)", "job.status": "\(result.status)", "job.exit_code": "\(result.exitCode)"])
        guard let link else { return }
        for stream in OutputStreamKind.allCases {
            let start = run.flatMap { $0.sentGeneration == link.generation ? $0.sent[stream] : nil }
                ?? acked[id]?[stream] ?? 0
            _ = sendSpooledOutput(id, stream: stream, from: start, on: link)
        }
        link.send(.jobResult(result))
    }

    /// Output from the acked offsets, then the result: the controller de-duplicates by offset.
    func resendFinished(_ id: SpoolJobID, on link: Link) {
        let result: Wire.JobResult
        do {
            guard let stored = try spool.result(id) else {
                logger.error("spooled result vanished", metadata: ["job.id": "\(id)"])
                finished.remove(id)
                return
            }
            result = stored
        } catch {
            logger.error("cannot read spooled result", metadata: ["job.id": "\(id)", "error": "\(error)"])
            return
        }
        for stream in OutputStreamKind.allCases {
            _ = sendSpooledOutput(id, stream: stream, from: acked[id]?[stream] ?? 0, on: link)
        }
        link.send(.jobResult(result))
    }

    /// Sends the spooled bytes of `stream` from `offset` to the end, in chunks; returns the end.
    private func sendSpooledOutput(_ id: SpoolJobID, stream: OutputStreamKind, from offset: UInt64, on link: Link) -> UInt64 {
        var position = offset
        do {
            while true {
                let data = try spool.readOutput(id, stream: stream, from: position, maxBytes: configuration.maxOutputChunk)
                if data.isEmpty { break }
                sendOutput(id, stream: stream, offset: position, data: data, on: link)
                position += UInt64(data.count)
            }
        } catch {
            logger.error("cannot read spooled output", metadata: ["job.id": "\(id)", "error": "\(error)"])
        }
        return position
    }

    private func sendOutput(_ id: SpoolJobID, stream: OutputStreamKind, offset: UInt64, data: [UInt8], on link: Link) {
        var start = 0
        while start < data.count {
            let end = min(data.count, start + configuration.maxOutputChunk)
            var output = Wire.Output()
            output.jobID = id.rawValue
            output.stream = stream.wire
            output.offset = offset + UInt64(start)
            output.data = Data(data[start..<end])
            link.send(.output(output))
            start = end
        }
    }

    func receivedOutputAck(_ ack: Wire.OutputAck) {
        guard let id = try? SpoolJobID(ack.jobID), runs[id] != nil || finished.contains(id),
            let stream = OutputStreamKind(wire: ack.stream)
        else { return }
        acked[id, default: [:]][stream] = max(acked[id]?[stream] ?? 0, ack.offset)
    }

    func receivedResultAck(jobID: String) {
        guard let id = try? SpoolJobID(jobID), finished.contains(id) else {
            logger.debug("result ack for an unknown job", metadata: ["job.id": "\(SpoolJobID.loggable(jobID))"])
            return
        }
        do {
            try spool.remove(id)
        } catch {
            logger.error("cannot delete the acknowledged result", metadata: ["job.id": "\(id)", "error": "\(error)"])
            return
        }
        finished.remove(id)
        finishedOutputBytes[id] = nil
        acked[id] = nil
    }
}

extension OutputStreamKind {
    var wire: Wire.OutputStream {
        switch self {
        case .stdout: .stdout
        case .stderr: .stderr
        }
    }

    init?(wire: Wire.OutputStream) {
        switch wire {
        case .stdout: self = .stdout
        case .stderr: self = .stderr
        default: return nil
        }
    }
}
