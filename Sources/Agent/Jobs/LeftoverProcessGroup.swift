#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a restarted agent does about the process group of a job its predecessor died running: an
/// agent killed hard takes none of its children with it (each command leads its own session), so the
/// command may still be running, unsupervised. It is ended when it is provably that job's group.
enum LeftoverProcessGroup {
    enum Verdict: Sendable, Hashable {
        /// No group was recorded (the command never started, or an older agent wrote the entry).
        case notRecorded
        /// Recorded in another boot: the reboot ended it, and its id may now be anyone's.
        case otherBoot
        /// Nothing of the group runs any more.
        case ended
        /// The id now belongs to a process started later: not ours, left alone.
        case reused
        /// Still running: SIGKILL went to the whole group.
        case killed(Int32)
    }

    /// Ends the recorded group if it still runs and is still the job's.
    static func end(_ record: JobProcessGroup?, currentBootID: String?) -> Verdict {
        guard let record else { return .notRecorded }
        guard let currentBootID, record.bootID == currentBootID else { return .otherBoot }
        // Never signal init, every process (-1) or our own group, whatever the file says.
        guard record.id > 1, record.id != getpgrp() else { return .reused }
        let group = ProcessGroup(id: record.id)
        guard group.hasRunningMembers() else { return .ended }
        #if os(Linux)
        // While any member of a group lives its id is not reused, so a leader that started at another
        // time means the group died and a newer process took the id.
        if let recorded = record.leaderStartTime, let current = ProcessTable.startTime(of: record.id), current != recorded {
            return .reused
        }
        #endif
        group.send(SIGKILL)
        return .killed(record.id)
    }

    /// The run's error message for each verdict.
    static func lostError(_ verdict: Verdict) -> String {
        let prefix = "agent restarted while the job was running"
        switch verdict {
        case .killed(let id): return "\(prefix); its processes (group \(id)) were still running and have been killed"
        case .ended: return "\(prefix); its process had already ended, its outcome is unknown"
        case .otherBoot: return "\(prefix); the host rebooted, which ended the process"
        case .notRecorded, .reused: return "\(prefix); the process was killed"
        }
    }
}
