#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `structured_json` of a ping result.
struct PingReply: Codable, Sendable, Equatable {
    var pong: Bool
    var agentTimeMilliseconds: Int64

    enum CodingKeys: String, CodingKey {
        case pong
        case agentTimeMilliseconds = "agent_time_ms"
    }
}

/// `structured_json` of a reboot that happened: the host came back with a new boot id.
struct RebootReport: Codable, Sendable, Equatable {
    var previousBootID: String
    var bootID: String
    var downtimeMilliseconds: Int64

    enum CodingKeys: String, CodingKey {
        case previousBootID = "previous_boot_id"
        case bootID = "boot_id"
        case downtimeMilliseconds = "downtime_ms"
    }
}

/// JSON for results and Hello: sorted keys so the same value always has the same bytes.
enum StructuredJSON {
    static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
