#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads process states from /proc.
enum ProcessTable {
    /// Whether a non-zombie process whose process group is `group` exists.
    static func hasRunningProcess(inGroup group: pid_t) -> Bool {
        guard let directory = opendir("/proc") else { return true }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let pid = Int32(name),
                let stat = readSmallFile("/proc/\(pid)/stat"),
                let fields = parseStat(stat)
            else { continue }
            if fields.processGroup == group && fields.state != "Z" && fields.state != "X" {
                return true
            }
        }
        return false
    }

    /// State letter and process group from one /proc/PID/stat line.
    ///
    /// The command name sits in parentheses and may itself contain spaces and ')', so fields are
    /// counted from the last ')'.
    static func parseStat(_ text: String) -> (state: Character, processGroup: pid_t)? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let rest = text[text.index(after: close)...].split(separator: " ")
        // rest: state ppid pgrp ...
        guard rest.count >= 3, let state = rest[0].first, let group = Int32(rest[2]) else { return nil }
        return (state, group)
    }

    /// When `pid` started, in clock ticks since boot (field 22 of /proc/PID/stat); nil if it is gone.
    static func startTime(of pid: pid_t) -> UInt64? {
        guard let stat = readSmallFile("/proc/\(pid)/stat") else { return nil }
        return parseStartTime(stat)
    }

    static func parseStartTime(_ text: String) -> UInt64? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let rest = text[text.index(after: close)...].split(separator: " ")
        // rest[0] is field 3 (state), so field 22 is rest[19].
        guard rest.count >= 20 else { return nil }
        return UInt64(rest[19])
    }

    /// Whether `pid` no longer runs: gone entirely, or a zombie awaiting a reaper.
    static func isGone(_ pid: pid_t) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        guard let stat = readSmallFile("/proc/\(pid)/stat"), let fields = parseStat(stat) else { return true }
        return fields.state == "Z" || fields.state == "X"
    }

    private static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}
#endif
