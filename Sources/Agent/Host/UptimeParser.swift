/// Parses /proc/uptime ("350735.47 234388.90": seconds up, idle seconds summed over CPUs).
enum UptimeParser {
    static func parse(_ text: String, source: String = "/proc/uptime") throws -> Double {
        guard let (number, line) = ProcText.lines(text).first, let first = ProcText.fields(line).first else {
            throw HostProbeError(code: .empty, source: source, detail: "no content")
        }
        return try ProcText.nonNegativeDouble(first, source: source, line: number, name: "uptime")
    }
}
