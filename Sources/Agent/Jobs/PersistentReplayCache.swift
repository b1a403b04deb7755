import StewardProtocol

/// The `ReplayCache` kept in the state directory, so a restarted agent still refuses a replayed
/// offer whose signature window has not passed.
///
/// The file is a log: each accepted offer appends its `jobID expiry` line (fdatasync'd) instead of
/// rewriting the whole cache, which cost one atomic rewrite of every id in the window per job. Loading
/// keeps the last line per id, like `ReplayCache(serialized:)` always did; expired and superseded lines
/// are dropped when the log has grown to twice the live ids (and at least `compactionFloor` lines, 1,024
/// by default), by the same atomic rewrite as before.
public struct PersistentReplayCache: Sendable {
    public let path: String
    public private(set) var cache: ReplayCache
    /// Lines in the file; nil while the file does not exist.
    private var fileLines: Int?

    /// The log is never compacted below this many lines, so a small cache is not rewritten on every job.
    let compactionFloor: Int

    /// Loads the cache; a missing file is an empty cache, an unreadable one an error. A last line cut
    /// short by a crash (no newline) is rewritten away at once, so the next append cannot join it.
    public init(path: String, compactionFloor: Int = 1_024) throws {
        self.path = path
        self.compactionFloor = max(1, compactionFloor)
        do {
            let bytes = try SecureFile.read(path, maxSize: 16 << 20)
            self.cache = ReplayCache(serialized: String(decoding: bytes, as: UTF8.self))
            self.fileLines = bytes.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            if let last = bytes.last, last != UInt8(ascii: "\n") { try save() }
        } catch let error as SecureFileError where error.code == .notFound {
            self.cache = ReplayCache()
            self.fileLines = nil
        }
    }

    /// Verifies `offer`, pruning expired ids first and recording the offer's id durably.
    ///
    /// The record is on disk before the job may run: a crash right after cannot make it runnable again.
    public mutating func verify(
        _ offer: Wire.JobOffer, with verifier: JobVerifier, nowMilliseconds: Int64
    ) throws -> Wire.JobSpec {
        cache.prune(nowMilliseconds: nowMilliseconds)
        let spec = try verifier.verify(offer, nowMilliseconds: nowMilliseconds, replayCache: &cache)
        try record(spec.jobID)
        return spec
    }

    /// Appends the id's line, or rewrites the whole file when it does not exist yet or is due for compaction.
    private mutating func record(_ jobID: String) throws {
        guard let lines = fileLines, lines < max(compactionFloor, 2 * cache.count), let line = cache.line(for: jobID) else {
            return try save()
        }
        try SecureFile.appendDurably(Array(line.utf8), to: path)
        fileLines = lines + 1
    }

    /// Rewrites the file atomically with just the live ids.
    public mutating func save() throws {
        try SecureFile.write(Array(cache.serialized.utf8), to: path)
        fileLines = cache.count
    }
}
