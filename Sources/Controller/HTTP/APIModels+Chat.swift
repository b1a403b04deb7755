import Foundation

extension API {
    /// A line typed into a console room (`steward chat` or the web console).
    public struct ChatPost: Codable, Sendable {
        /// `terminal` or `web`.
        public var platform: String
        public var room: String
        public var text: String
        /// Client-chosen id: a retried POST with the same id is handled once.
        public var eventID: String

        public init(platform: String, room: String, text: String, eventID: String) {
            self.platform = platform
            self.room = room
            self.text = text
            self.eventID = eventID
        }

        enum CodingKeys: String, CodingKey {
            case platform, room, text
            case eventID = "event_id"
        }
    }

    /// One message in a console room; an edit re-appears with a higher revision.
    public struct ChatLine: Codable, Sendable, Hashable {
        public var id: String
        public var revision: Int64
        public var author: String
        public var text: String
        public var markdown: String
        public var postedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, revision, author, text, markdown
            case postedAt = "posted_at"
        }
    }

    /// The bot took the message; its answers appear in the room.
    public struct ChatAccepted: Codable, Sendable {
        public var accepted: Bool
    }

    /// Messages of a room changed after a revision; `revision` is the newest one to ask after next.
    public struct ChatPage: Codable, Sendable {
        public var messages: [ChatLine]
        public var revision: Int64
    }
}
