import StewardProtocol
import SwiftProtobuf

/// Durable per-job storage under `spool/`: one directory per job id holding `spec.pb`, `stdout`,
/// `stderr`, `process-group`, `rebooting` and `result.pb`.
///
/// A result is written (outputs fsynced, then `result.pb` atomically) before it is sent, and the
/// entry is deleted only on `ResultAck`, so a crash or a cut connection never loses a result.
/// Not thread-safe on its own: `JobSupervisor` serialises all access.
public struct ResultSpool: Sendable {
    enum FileName {
        static let spec = "spec.pb"
        static let result = "result.pb"
        static let rebooting = "rebooting"
        static let processGroup = "process-group"
        static func output(_ stream: OutputStreamKind) -> String { stream.rawValue }
    }

    /// Prefix of entries being deleted: renamed first so a crash mid-delete cannot leave a half
    /// entry that looks like a lost job.
    static let trashPrefix = ".trash-"

    public let directory: String

    /// Opens (creating, mode 0700) the spool directory and finishes any interrupted deletes.
    public init(directory: String) throws {
        try SecureFile.ensurePrivateDirectory(directory)
        self.directory = directory
        for name in try SpoolFiles.list(directory) where name.hasPrefix(Self.trashPrefix) {
            try SpoolFiles.removeFlatDirectory(directory + "/" + name)
        }
    }

    /// Reads a spool without creating or cleaning anything (for `status`).
    init(inspecting directory: String) {
        self.directory = directory
    }

    func path(_ id: SpoolJobID) -> String { directory + "/" + id.rawValue }

    func path(_ id: SpoolJobID, _ file: String) -> String { path(id) + "/" + file }

    public func contains(_ id: SpoolJobID) -> Bool { SpoolFiles.exists(path(id)) }

    /// Ids of all entries, sorted (ids are time-ordered, so oldest first). Names that are not
    /// valid job ids are skipped: the spool only ever creates valid ones.
    public func jobIDs() throws -> [SpoolJobID] {
        try SpoolFiles.list(directory).compactMap { try? SpoolJobID($0) }.sorted()
    }

    /// Creates the entry for an accepted job; throws `alreadyExists` for a known job.
    public func create(_ id: SpoolJobID, spec: Wire.JobSpec) throws {
        try SpoolFiles.makeDirectory(path(id))
        try SecureFile.write(try spec.serializedBytes(), to: path(id, FileName.spec))
    }

    /// Creates the entry of a job that spooled nothing while it ran, for its result alone; ``writeResult(_:_:)``
    /// makes the entry's name durable with the result.
    public func createForResult(_ id: SpoolJobID) throws {
        try SpoolFiles.makeDirectory(path(id))
    }

    public func spec(_ id: SpoolJobID) throws -> Wire.JobSpec? {
        guard let bytes = try readIfPresent(path(id, FileName.spec)) else { return nil }
        do {
            return try Wire.JobSpec(serializedBytes: bytes)
        } catch {
            throw SpoolError(.corrupt, "\(path(id, FileName.spec)) does not decode")
        }
    }

    public func appendOutput(_ id: SpoolJobID, stream: OutputStreamKind, bytes: [UInt8]) throws {
        try SpoolFiles.append(bytes, to: path(id, FileName.output(stream)))
    }

    public func outputSize(_ id: SpoolJobID, stream: OutputStreamKind) throws -> UInt64 {
        try SpoolFiles.size(path(id, FileName.output(stream)))
    }

    public func readOutput(_ id: SpoolJobID, stream: OutputStreamKind, from offset: UInt64, maxBytes: Int) throws -> [UInt8] {
        try SpoolFiles.read(path(id, FileName.output(stream)), from: offset, maxBytes: maxBytes)
    }

    public func writeRebootMarker(_ id: SpoolJobID, _ marker: RebootMarker) throws {
        try SecureFile.write(try marker.encoded(), to: path(id, FileName.rebooting))
    }

    public func rebootMarker(_ id: SpoolJobID) throws -> RebootMarker? {
        guard let bytes = try readIfPresent(path(id, FileName.rebooting)) else { return nil }
        do {
            return try RebootMarker.decode(bytes)
        } catch {
            throw SpoolError(.corrupt, "\(path(id, FileName.rebooting)) is not a reboot marker")
        }
    }

    public func removeRebootMarker(_ id: SpoolJobID) throws {
        try SpoolFiles.unlinkIfPresent(path(id, FileName.rebooting))
    }

    /// Records the process group of the job's command. Written from the job's own task, not the
    /// supervisor's: no other writer touches this file.
    public func writeProcessGroup(_ id: SpoolJobID, _ group: JobProcessGroup) throws {
        try SecureFile.write(try group.encoded(), to: path(id, FileName.processGroup))
    }

    public func processGroup(_ id: SpoolJobID) throws -> JobProcessGroup? {
        guard let bytes = try readIfPresent(path(id, FileName.processGroup)) else { return nil }
        do {
            return try JobProcessGroup.decode(bytes)
        } catch {
            throw SpoolError(.corrupt, "\(path(id, FileName.processGroup)) is not a process group record")
        }
    }

    /// Makes the output durable, then stores the result atomically; only then may it be sent.
    public func writeResult(_ id: SpoolJobID, _ result: Wire.JobResult) throws {
        guard contains(id) else { throw SpoolError(.notFound, "no spool entry for job \(id)") }
        for stream in OutputStreamKind.allCases {
            try SpoolFiles.sync(path(id, FileName.output(stream)))
        }
        try SecureFile.write(try result.serializedBytes(), to: path(id, FileName.result))
        // The entry's own name in `spool/` came from a mkdir nobody synced: without this a crash could
        // take the whole entry, result included, after the result was sent but before it was acknowledged.
        try SpoolFiles.sync(directory)
    }

    public func result(_ id: SpoolJobID) throws -> Wire.JobResult? {
        guard let bytes = try readIfPresent(path(id, FileName.result)) else { return nil }
        do {
            return try Wire.JobResult(serializedBytes: bytes)
        } catch {
            throw SpoolError(.corrupt, "\(path(id, FileName.result)) does not decode")
        }
    }

    /// Frees a finished entry's output (the spool is over its budget): the output files are emptied and
    /// the result is rewritten, atomically, marked truncated. The result itself is kept.
    public func dropOutput(_ id: SpoolJobID) throws {
        guard var stored = try result(id) else { throw SpoolError(.notFound, "no result for job \(id)") }
        for stream in OutputStreamKind.allCases {
            try SpoolFiles.truncate(path(id, FileName.output(stream)))
        }
        stored.outputTruncated = true
        try SecureFile.write(try stored.serializedBytes(), to: path(id, FileName.result))
    }

    /// The entry's state; a result wins over a reboot marker (the marker may outlive a failed reboot).
    public func state(_ id: SpoolJobID) throws -> SpoolEntryState? {
        guard contains(id) else { return nil }
        if let result = try result(id) { return .finished(result) }
        let spec = try? spec(id)
        if let marker = try rebootMarker(id) { return .rebooting(marker, spec) }
        return .pending(spec)
    }

    /// Deletes the entry (after `ResultAck`): renamed away first, then emptied.
    public func remove(_ id: SpoolJobID) throws {
        guard contains(id) else { return }
        let trash = directory + "/" + Self.trashPrefix + id.rawValue
        try SpoolFiles.removeFlatDirectory(trash)
        try SpoolFiles.rename(path(id), to: trash)
        try SpoolFiles.removeFlatDirectory(trash)
    }

    private func readIfPresent(_ path: String) throws -> [UInt8]? {
        do {
            return try SecureFile.read(path)
        } catch let error as SecureFileError where error.code == .notFound {
            return nil
        }
    }
}
