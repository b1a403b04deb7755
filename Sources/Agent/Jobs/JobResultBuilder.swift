#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StewardProtocol

/// Builds `JobResult` messages: the one place that maps how a job ended to a wire status.
///
/// exit 0 → succeeded; non-zero exit or a signal → failed (code kept); timeout → timed_out;
/// cancel → cancelled. Timeout and cancel win over the exit status, since the group was killed.
enum JobResultBuilder {
    static func command(jobID: String, outcome: CommandOutcome) -> Wire.JobResult {
        var result = base(jobID: jobID, startedMs: outcome.startedAt, finishedMs: outcome.finishedAt)
        switch outcome.termination {
        case .exited(let code):
            result.exited = true
            result.exitCode = code
        case .signaled(let signal):
            result.signal = signal
        }
        if outcome.timedOut {
            result.status = .timedOut
            result.error = "the command ran past its time limit and was killed"
        } else if outcome.cancelled {
            result.status = .cancelled
            result.error = "cancelled; the process group was killed"
        } else {
            result.status = outcome.termination.isSuccess ? .succeeded : .failed
            if case .signaled(let signal) = outcome.termination {
                result.error = "the command was killed by signal \(signal)"
            }
        }
        result.stdoutBytes = outcome.stdoutBytes
        result.stderrBytes = outcome.stderrBytes
        result.outputTruncated = outcome.truncated
        return result
    }

    /// An action answered inside the agent (ping, facts, metrics, reboot confirmation).
    static func structured(jobID: String, json: [UInt8], startedMs: Int64, finishedMs: Int64) -> Wire.JobResult {
        var result = base(jobID: jobID, startedMs: startedMs, finishedMs: finishedMs)
        result.status = .succeeded
        result.structuredJson = Data(json)
        return result
    }

    static func failure(
        jobID: String, status: Wire.JobStatus, error: String, startedMs: Int64, finishedMs: Int64
    ) -> Wire.JobResult {
        var result = base(jobID: jobID, startedMs: startedMs, finishedMs: finishedMs)
        result.status = status
        result.error = error
        return result
    }

    /// A job that threw instead of producing an outcome: cancellation stays a cancellation.
    static func thrown(_ error: any Error, jobID: String, startedMs: Int64, finishedMs: Int64) -> Wire.JobResult {
        if error is CancellationError {
            return failure(jobID: jobID, status: .cancelled, error: "cancelled", startedMs: startedMs, finishedMs: finishedMs)
        }
        return failure(jobID: jobID, status: .failed, error: "\(error)", startedMs: startedMs, finishedMs: finishedMs)
    }

    private static func base(jobID: String, startedMs: Int64, finishedMs: Int64) -> Wire.JobResult {
        var result = Wire.JobResult()
        result.jobID = jobID
        result.startedMs = startedMs
        result.finishedMs = finishedMs
        return result
    }
}
