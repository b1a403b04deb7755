import Foundation
import GRDB

/// The controller's SQLite store: owns the single GRDB writer, migrates on open, and offers
/// small async operations (one transaction each, or one savepoint in a shared transaction for the
/// hot writes: see ``GroupCommit``) in its `StewardDatabase+*.swift` extensions.
public final class StewardDatabase: Sendable {
    /// A `DatabasePool` (WAL: readers never block the writer) for files, a `DatabaseQueue` in memory.
    let writer: any DatabaseWriter
    /// The hot writes (run transitions, results, output, last-seen times) share transactions through this.
    let grouped: GroupCommit

    /// Opens, creating it if needed, the database at `path` in WAL mode and brings its schema up to date.
    ///
    /// - Parameter busyTimeout: how long a write waits for a lock held by another connection
    ///   (another process, such as a CLI reading the same file) before failing.
    public static func open(path: String, busyTimeout: Duration = .seconds(5)) throws -> StewardDatabase {
        try createPrivately(path: path)
        let pool = try DatabasePool(path: path, configuration: configuration(busyTimeout: busyTimeout))
        return try StewardDatabase(writer: pool)
    }

    /// A fresh, private, migrated in-memory database (for tests and `steward demo`).
    public static func inMemory() throws -> StewardDatabase {
        let queue = try DatabaseQueue(configuration: configuration(busyTimeout: .seconds(5)))
        return try StewardDatabase(writer: queue)
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        self.grouped = GroupCommit(writer: writer)
        try Self.migrator.migrate(writer)
    }

    static func configuration(busyTimeout: Duration) -> Configuration {
        var configuration = Configuration()
        configuration.label = "steward"
        // GRDB turns this on by default; stated here because cascading deletes and run integrity rely on it.
        configuration.foreignKeysEnabled = true
        let (seconds, attoseconds) = busyTimeout.components
        configuration.busyMode = .timeout(Double(seconds) + Double(attoseconds) / 1e18)
        return configuration
    }

    /// Token hashes and agent facts live here: create the file owner-only before SQLite does
    /// (SQLite gives the -wal and -shm files the same permissions as the database).
    private static func createPrivately(path: String) throws {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: path) else { return }
        guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw StoreError(.invalidArgument, "cannot create database file at \(path)")
        }
    }
}
