#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Written into a job's spool entry when its command starts: the process group it runs in, so that
/// an agent restarted after dying mid-job (SIGKILL, OOM kill, crash) can end what was left running
/// instead of leaving it unsupervised.
public struct JobProcessGroup: Codable, Sendable, Hashable {
    /// The group id: the pid of the command, which leads its own session.
    public var id: Int32
    /// The boot the group belongs to; after a reboot its id means nothing.
    public var bootID: String
    /// The leader's start time (/proc/PID/stat field 22, clock ticks since boot), to tell the group
    /// from a later process that reuses the id once the whole group is gone.
    public var leaderStartTime: UInt64?

    public init(id: Int32, bootID: String, leaderStartTime: UInt64?) {
        self.id = id
        self.bootID = bootID
        self.leaderStartTime = leaderStartTime
    }

    enum CodingKeys: String, CodingKey {
        case id = "pgid"
        case bootID = "boot_id"
        case leaderStartTime = "leader_start_time"
    }

    func encoded() throws -> [UInt8] {
        Array(try JSONEncoder().encode(self))
    }

    static func decode(_ bytes: [UInt8]) throws -> JobProcessGroup {
        try JSONDecoder().decode(JobProcessGroup.self, from: Data(bytes))
    }
}
