import StewardProtocol

/// Parses /proc/net/dev into per-interface counters, skipping the loopback interface.
enum NetDevParser {
    /// /proc/net/dev has 8 receive and 8 transmit columns after "name:".
    private static let columnCount = 16

    static func parse(_ text: String, source: String = "/proc/net/dev", skipping skipped: Set<String> = ["lo"]) throws -> [NetworkInterfaceCounters] {
        var result: [NetworkInterfaceCounters] = []
        for (number, line) in ProcText.lines(text) {
            // The two header lines contain '|' and no ':'; every interface line has "name:".
            guard let colon = line.firstIndex(of: ":"), !line.contains("|") else { continue }
            let name = ProcText.trim(line[..<colon])
            let fields = ProcText.fields(line[line.index(after: colon)...])
            guard !name.isEmpty, fields.count >= columnCount else {
                throw HostProbeError(
                    code: .malformedLine, source: source, line: number,
                    detail: "expected 'name: \(columnCount) counters', found \(fields.count) counters")
            }
            if skipped.contains(name) { continue }
            func counter(_ index: Int, _ label: String) throws -> UInt64 {
                try ProcText.unsigned(fields[index], source: source, line: number, name: "\(name) \(label)")
            }
            result.append(NetworkInterfaceCounters(
                name: name,
                rxBytes: try counter(0, "rx_bytes"),
                txBytes: try counter(8, "tx_bytes"),
                rxPackets: try counter(1, "rx_packets"),
                txPackets: try counter(9, "tx_packets"),
                rxErrors: try counter(2, "rx_errors"),
                txErrors: try counter(10, "tx_errors")))
        }
        return result
    }
}
