/// Cumulative traffic counters of one network interface since boot (from /proc/net/dev).
public struct NetworkInterfaceCounters: Codable, Sendable, Equatable {
    public var name: String
    public var rxBytes: UInt64
    public var txBytes: UInt64
    public var rxPackets: UInt64
    public var txPackets: UInt64
    public var rxErrors: UInt64
    public var txErrors: UInt64

    public init(name: String, rxBytes: UInt64, txBytes: UInt64, rxPackets: UInt64, txPackets: UInt64, rxErrors: UInt64, txErrors: UInt64) {
        self.name = name
        self.rxBytes = rxBytes
        self.txBytes = txBytes
        self.rxPackets = rxPackets
        self.txPackets = txPackets
        self.rxErrors = rxErrors
        self.txErrors = txErrors
    }

    enum CodingKeys: String, CodingKey {
        case name
        case rxBytes = "rx_bytes"
        case txBytes = "tx_bytes"
        case rxPackets = "rx_packets"
        case txPackets = "tx_packets"
        case rxErrors = "rx_errors"
        case txErrors = "tx_errors"
    }
}
