/// One line of /proc/mounts (fstab format).
struct MountEntry: Sendable, Equatable {
    var device: String
    var mountPoint: String
    var fsType: String
    var options: String
}

/// Parses /proc/mounts, decoding the octal escapes the kernel uses for spaces and tabs in paths.
enum MountsParser {
    static func parse(_ text: String, source: String = "/proc/mounts") throws -> [MountEntry] {
        var entries: [MountEntry] = []
        for (number, line) in ProcText.lines(text) {
            let fields = ProcText.fields(line)
            guard fields.count >= 4 else {
                throw HostProbeError(
                    code: .malformedLine, source: source, line: number,
                    detail: "expected 'device mountpoint fstype options ...', found \(fields.count) fields")
            }
            let mountPoint = unescape(fields[1])
            guard mountPoint.hasPrefix("/") else {
                throw HostProbeError(
                    code: .malformedLine, source: source, line: number,
                    detail: "mount point is not an absolute path")
            }
            entries.append(MountEntry(
                device: unescape(fields[0]),
                mountPoint: mountPoint,
                fsType: String(fields[2]),
                options: String(fields[3])))
        }
        return entries
    }

    /// Turns `\040` (space), `\011` (tab), `\012` (newline) and `\134` (backslash) back into characters.
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count, let value = octal(utf8[(index + 1)...(index + 3)]) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
        var value: UInt16 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + UInt16(digit - UInt8(ascii: "0"))
        }
        return value <= 0xFF ? UInt8(value) : nil
    }
}
