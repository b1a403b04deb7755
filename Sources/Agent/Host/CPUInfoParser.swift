/// Counts logical processors in /proc/cpuinfo ("processor : N" stanzas).
enum CPUInfoParser {
    static func processorCount(_ text: String) -> Int {
        ProcText.lines(text).reduce(0) { count, entry in
            guard let colon = entry.text.firstIndex(of: ":") else { return count }
            return ProcText.trim(entry.text[..<colon]) == "processor" ? count + 1 : count
        }
    }
}
