#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a simulated exec prints: `reply` written `chunks` times, `interval` apart, each write one
/// `OutputChunk` at its contiguous stdout offset, then exit status 0. The supervisor cannot tell it
/// from a command: it stops at the spec's timeout, on cancellation and at the output limit, and
/// reports each the way `CommandRunner` does.
public struct SimulatedExec: Sendable, Hashable {
    public var reply: String
    public var chunks: Int
    public var interval: Duration

    public init(reply: String, chunks: Int = 1, interval: Duration = .zero) {
        precondition(chunks > 0 && interval >= .zero)
        self.reply = reply
        self.chunks = chunks
        self.interval = interval
    }

    /// Bytes on stdout when the run is not cut short.
    public var totalBytes: Int { reply.utf8.count * chunks }

    /// Streams the reply through `sink` as `spec` allows.
    func run(_ spec: CommandSpec, sink: OutputSink, now: @Sendable () -> Int64) async -> CommandOutcome {
        let reply = Array(self.reply.utf8)
        let startedAt = now()
        let started = ContinuousClock.now
        var sent: UInt64 = 0, dropped: UInt64 = 0
        var killedBy: Kill?
        for index in 0..<chunks {
            if index > 0, interval > .zero {
                guard started.duration(to: .now) + interval < spec.timeout else {
                    // It would still be printing at its deadline: killed then, as a real command is.
                    try? await Task.sleep(until: started + spec.timeout, clock: .continuous)
                    killedBy = Task.isCancelled ? .cancel : .timeout
                    break
                }
                try? await Task.sleep(for: interval)
            }
            if Task.isCancelled {
                killedBy = .cancel
                break
            }
            let kept = reply.prefix(max(0, spec.outputLimit - Int(sent)))
            dropped += UInt64(reply.count - kept.count)
            if !kept.isEmpty {
                await sink(OutputChunk(stream: .stdout, offset: sent, data: Array(kept)))
                sent += UInt64(kept.count)
            }
        }
        return CommandOutcome(
            termination: killedBy == nil ? .exited(0) : .signaled(SIGKILL), timedOut: killedBy == .timeout,
            cancelled: killedBy == .cancel, truncated: dropped > 0, stdoutBytes: sent, droppedBytes: dropped,
            startedAt: startedAt, finishedAt: now(), duration: started.duration(to: .now))
    }

    private enum Kill { case timeout, cancel }
}
