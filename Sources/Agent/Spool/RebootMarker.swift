#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Written into a reboot job's spool entry just before the reboot command runs, so that the agent
/// coming back can tell whether the host really rebooted (a different boot id) and for how long.
public struct RebootMarker: Codable, Sendable, Hashable {
    public var bootID: String
    /// Wall clock when the reboot was requested, milliseconds since the Unix epoch.
    public var requestedAtMilliseconds: Int64

    public init(bootID: String, requestedAtMilliseconds: Int64) {
        self.bootID = bootID
        self.requestedAtMilliseconds = requestedAtMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case bootID = "boot_id"
        case requestedAtMilliseconds = "requested_at_ms"
    }

    func encoded() throws -> [UInt8] {
        Array(try JSONEncoder().encode(self))
    }

    static func decode(_ bytes: [UInt8]) throws -> RebootMarker {
        try JSONDecoder().decode(RebootMarker.self, from: Data(bytes))
    }
}
