import GRDB
@testable import StewardController

/// Makes a database answer chosen writes as on a full disk, with SQLite's own `SQLITE_FULL`: a trigger on
/// each of those writes adds 1 MiB of ballast, and `max_page_count` is pinned at the current size, so SQLite
/// cannot grow the database and rolls the write back. Every other write and every read keeps working.
enum FullDiskFixture {
    /// A table and the statement kind that should find the disk full, e.g. `("jobs", "INSERT")`.
    struct Write: Sendable {
        var table: String
        var event: String
    }

    static func fill(_ database: StewardDatabase, refusing writes: [Write]) async throws {
        try await database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE ballast (bytes BLOB)")
            for write in writes {
                try db.execute(sql: """
                    CREATE TRIGGER ballast_\(write.table)_\(write.event.lowercased()) AFTER \(write.event) ON \(write.table)
                    BEGIN INSERT INTO ballast VALUES (zeroblob(1048576)); END
                    """)
            }
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
    }
}
