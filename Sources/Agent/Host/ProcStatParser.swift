/// Parses /proc/stat into the aggregate CPU counters.
enum ProcStatParser {
    static func parse(_ text: String, source: String = "/proc/stat") throws -> CPUTimes {
        for (number, line) in ProcText.lines(text) {
            let fields = ProcText.fields(line)
            guard fields.first == "cpu" else { continue }
            // Kernels before 2.6 stop after idle; iowait, irq, softirq and steal arrived later.
            guard fields.count >= 5 else {
                throw HostProbeError(
                    code: .malformedLine, source: source, line: number,
                    detail: "cpu line has \(fields.count - 1) counters, need at least 4")
            }
            let names = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
            var counters: [UInt64] = []
            for (index, name) in names.enumerated() {
                let fieldIndex = index + 1
                if fieldIndex < fields.count {
                    counters.append(try ProcText.unsigned(fields[fieldIndex], source: source, line: number, name: name))
                } else {
                    counters.append(0)
                }
            }
            return CPUTimes(
                user: counters[0], nice: counters[1], system: counters[2], idle: counters[3],
                iowait: counters[4], irq: counters[5], softirq: counters[6], steal: counters[7])
        }
        throw HostProbeError(code: .missingField, source: source, detail: "no aggregate 'cpu' line")
    }
}
