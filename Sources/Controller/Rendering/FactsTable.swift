import StewardProtocol

/// The one-line-per-host summary of `facts` results, for chat replies and the CLI.
public enum FactsTable {
    /// At most this many addresses are listed; the rest are counted ("(+3)").
    static let shownAddresses = 2

    /// Columns: HOST, OS, KERNEL, ARCH, CPUS, MEM, IPS, AGENT. Rows keep the caller's order.
    public static func render(_ rows: [(host: String, facts: HostFacts)]) -> String {
        var table = TextTable(columns: [
            .init("HOST"),
            .init("OS", maxWidth: 40),
            .init("KERNEL", maxWidth: 32),
            .init("ARCH"),
            .init("CPUS", alignment: .right),
            .init("MEM", alignment: .right),
            .init("IPS", maxWidth: 64),
            .init("AGENT"),
        ])
        for (host, facts) in rows {
            table.append([
                host,
                facts.osName,
                facts.kernel,
                facts.architecture,
                "\(facts.cpuCount)",
                ByteFormat.human(facts.memoryBytes),
                addresses(facts.ipAddresses),
                facts.agentVersion,
            ])
        }
        return table.render()
    }

    static func addresses(_ all: [String]) -> String {
        guard !all.isEmpty else { return "-" }
        let shown = all.prefix(shownAddresses).joined(separator: ",")
        return all.count > shownAddresses ? "\(shown) (+\(all.count - shownAddresses))" : shown
    }
}
