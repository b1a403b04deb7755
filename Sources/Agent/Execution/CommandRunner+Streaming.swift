import Subprocess

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CommandRunner {
    /// Pumps both streams to the sink while a watchdog enforces the timeout; returns once both
    /// streams have ended (EOF, or the child exited and its pipes were drained).
    static func follow(
        stdout: SubprocessOutputSequence,
        stderr: SubprocessOutputSequence,
        spec: CommandSpec,
        grace: Duration,
        control: RunControl,
        ledger: OutputLedger,
        sink: @escaping OutputSink
    ) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await pump(stdout, as: .stdout, ledger: ledger, sink: sink)
                return true
            }
            tasks.addTask {
                try await pump(stderr, as: .stderr, ledger: ledger, sink: sink)
                return true
            }
            tasks.addTask {
                await watchdog(timeout: spec.timeout, grace: grace, control: control)
                return false
            }
            var streamsEnded = 0
            while streamsEnded < 2, let isStream = try await tasks.next() {
                if isStream { streamsEnded += 1 }
            }
            tasks.cancelAll()
        }
    }

    /// Reads one stream to its end. Bytes past the budget are still read, so the child never blocks
    /// on a full pipe, but are not delivered.
    static func pump(
        _ sequence: SubprocessOutputSequence,
        as stream: OutputStreamKind,
        ledger: OutputLedger,
        sink: @escaping OutputSink
    ) async throws {
        for try await buffer in sequence {
            let bytes = buffer.withUnsafeBytes { Array($0) }
            var start = 0
            while start < bytes.count {
                let end = min(start + OutputChunk.maxSize, bytes.count)
                let grant = await ledger.reserve(stream, count: end - start)
                if grant.count > 0 {
                    let data = Array(bytes[start..<(start + grant.count)])
                    await sink(OutputChunk(stream: stream, offset: grant.offset, data: data))
                }
                start = end
            }
        }
    }

    /// Sleeps until the deadline, then SIGTERM to the group and SIGKILL after `grace`.
    /// Cancelled (and silent) when the streams end first.
    static func watchdog(timeout: Duration, grace: Duration, control: RunControl) async {
        do { try await Task.sleep(for: timeout) } catch { return }
        control.markTimedOut()
        do { try await Task.sleep(for: grace) } catch { return }
        control.snapshot.group?.send(SIGKILL)
    }
}
