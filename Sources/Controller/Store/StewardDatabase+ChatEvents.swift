import Foundation
import GRDB

extension StewardDatabase {
    /// Records a chat platform's event id; false when it was seen before (a retried delivery).
    public func recordChatEvent(platform: String, eventID: String, at now: Date) async throws -> Bool {
        guard !eventID.isEmpty, eventID.utf8.count <= 256 else {
            throw StoreError(.invalidArgument, "chat event id must be 1 to 256 bytes")
        }
        return try await writer.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO chat_event_ids (platform, event_id, received_at) VALUES (?, ?, ?)",
                arguments: [platform, eventID, now.databaseMilliseconds])
            return db.changesCount > 0
        }
    }

    /// Forgets event ids older than `cutoff` (platforms retry for minutes, not days).
    public func pruneChatEvents(olderThan cutoff: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM chat_event_ids WHERE received_at < ?", arguments: [cutoff.databaseMilliseconds])
            return db.changesCount
        }
    }
}
