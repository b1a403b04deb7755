import Foundation

/// The libFuzzer targets in `Fuzz/`, by the directory names of their corpora.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case frameDecoder = "FuzzFrameDecoder"
    case sessionStateMachines = "FuzzSessionStateMachines"
    case payloads = "FuzzPayloads"

    /// Runs one input through the target's invariants; throws `InvariantViolation` when one breaks.
    public func check(_ bytes: [UInt8]) throws {
        switch self {
        case .frameDecoder: try FrameDecodingInvariants.check(bytes)
        case .sessionStateMachines: try SessionInvariants.check(bytes)
        case .payloads: try PayloadInvariants.check(bytes)
        }
    }

    /// The body of `LLVMFuzzerTestOneInput`: a broken invariant becomes a crash, which libFuzzer saves.
    public func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        do {
            try check(Array(UnsafeBufferPointer(start: data, count: count)))
        } catch {
            fatalError("invariant violated: \(error)")
        }
        return 0
    }

    /// The body of `LLVMFuzzerInitialize`: writes the seeds into `$STEWARD_FUZZ_SEEDS` when it is set,
    /// so `scripts/fuzz.sh` always starts from seeds made from the current message definitions.
    public func initialize() -> Int32 {
        guard let directory = ProcessInfo.processInfo.environment["STEWARD_FUZZ_SEEDS"] else { return 0 }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for seed in try seeds() {
                try Data(seed.bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent("seed-\(seed.name)"))
            }
        } catch {
            fatalError("cannot write the seeds of \(rawValue) to \(directory): \(error)")
        }
        return 0
    }
}
