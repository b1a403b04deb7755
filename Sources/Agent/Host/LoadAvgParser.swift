/// The 1, 5 and 15 minute run-queue averages.
struct LoadAverage: Sendable, Equatable {
    var one: Double
    var five: Double
    var fifteen: Double
}

/// Parses /proc/loadavg ("0.52 0.40 0.33 1/234 5678").
enum LoadAvgParser {
    static func parse(_ text: String, source: String = "/proc/loadavg") throws -> LoadAverage {
        guard let (number, line) = ProcText.lines(text).first else {
            throw HostProbeError(code: .empty, source: source, detail: "no content")
        }
        let fields = ProcText.fields(line)
        guard fields.count >= 3 else {
            throw HostProbeError(
                code: .malformedLine, source: source, line: number,
                detail: "expected 3 load averages, found \(fields.count) fields")
        }
        return LoadAverage(
            one: try ProcText.nonNegativeDouble(fields[0], source: source, line: number, name: "load1"),
            five: try ProcText.nonNegativeDouble(fields[1], source: source, line: number, name: "load5"),
            fifteen: try ProcText.nonNegativeDouble(fields[2], source: source, line: number, name: "load15"))
    }
}
