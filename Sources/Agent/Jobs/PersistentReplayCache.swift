import StewardProtocol

/// The `ReplayCache` kept in the state directory, so a restarted agent still refuses a replayed
/// offer whose signature window has not passed.
public struct PersistentReplayCache: Sendable {
    public let path: String
    public private(set) var cache: ReplayCache

    /// Loads the cache; a missing file is an empty cache, an unreadable one an error.
    public init(path: String) throws {
        self.path = path
        do {
            let bytes = try SecureFile.read(path, maxSize: 16 << 20)
            self.cache = ReplayCache(serialized: String(decoding: bytes, as: UTF8.self))
        } catch let error as SecureFileError where error.code == .notFound {
            self.cache = ReplayCache()
        }
    }

    /// Verifies `offer`, pruning expired ids first and saving the cache when the offer was recorded.
    ///
    /// The save happens before the job may run: a crash right after cannot make it runnable again.
    public mutating func verify(
        _ offer: Wire.JobOffer, with verifier: JobVerifier, nowMilliseconds: Int64
    ) throws -> Wire.JobSpec {
        cache.prune(nowMilliseconds: nowMilliseconds)
        let spec = try verifier.verify(offer, nowMilliseconds: nowMilliseconds, replayCache: &cache)
        try save()
        return spec
    }

    public func save() throws {
        try SecureFile.write(Array(cache.serialized.utf8), to: path)
    }
}
