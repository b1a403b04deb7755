/// Validates the boot id file (a UUID plus newline on Linux; anything printable in our reboot tests).
enum BootIDParser {
    /// A sane bound: the kernel writes 36 characters; anything huge is not a boot id.
    static let maximumLength = 128

    static func parse(_ text: String, source: String) throws -> String {
        let id = ProcText.trim(Substring(text))
        guard !id.isEmpty else {
            throw HostProbeError(code: .empty, source: source, detail: "boot id is empty")
        }
        guard id.count <= maximumLength,
              id.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F })
        else {
            throw HostProbeError(
                code: .malformedLine, source: source, line: 1,
                detail: "boot id must be at most \(maximumLength) printable ASCII characters without spaces")
        }
        return id
    }
}
