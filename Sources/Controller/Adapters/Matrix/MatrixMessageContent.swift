import Foundation

/// The content of an `m.room.message` the bot sends: a notice (the Matrix convention for bots, which other bots
/// do not answer) with an HTML rendering, maybe in a thread, or replacing an earlier message (`m.replace`).
public struct MatrixMessageContent: Encodable, Sendable, Hashable {
    public static let htmlFormat = "org.matrix.custom.html"

    /// The visible part: also the whole of `m.new_content` in an edit.
    public struct Body: Encodable, Sendable, Hashable {
        public var msgtype = "m.notice"
        public var body: String
        public var format = MatrixMessageContent.htmlFormat
        public var formattedBody: String
        /// Empty: the bot's text never notifies anyone, whatever names it quotes (intentional mentions).
        public var mentions: [String: [String]] = [:]

        enum CodingKeys: String, CodingKey {
            case msgtype, body, format
            case formattedBody = "formatted_body"
            case mentions = "m.mentions"
        }
    }

    /// `m.relates_to`: a thread (with a reply fallback for clients without threads) or a replacement.
    public struct Relation: Encodable, Sendable, Hashable {
        public var relType: String
        public var eventID: String
        public var isFallingBack: Bool?
        public var inReplyTo: InReplyTo?

        public struct InReplyTo: Encodable, Sendable, Hashable {
            public var eventID: String
            enum CodingKeys: String, CodingKey { case eventID = "event_id" }
        }

        enum CodingKeys: String, CodingKey {
            case relType = "rel_type"
            case eventID = "event_id"
            case isFallingBack = "is_falling_back"
            case inReplyTo = "m.in_reply_to"
        }

        /// In the thread rooted at `root`; clients without threads show a reply to the root.
        public static func thread(_ root: String) -> Relation {
            Relation(relType: "m.thread", eventID: root, isFallingBack: true, inReplyTo: InReplyTo(eventID: root))
        }

        /// Replaces the event `original`.
        public static func replacement(of original: String) -> Relation {
            Relation(relType: "m.replace", eventID: original)
        }
    }

    public var body: Body
    public var relatesTo: Relation?
    /// For an edit: the new content; `body` then holds the `* ...` fallback for clients without edits.
    public var newContent: Body?

    public func encode(to encoder: any Encoder) throws {
        try body.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(relatesTo, forKey: .relatesTo)
        try container.encodeIfPresent(newContent, forKey: .newContent)
    }

    enum CodingKeys: String, CodingKey {
        case relatesTo = "m.relates_to"
        case newContent = "m.new_content"
    }

    /// The JSON the homeserver receives (keys sorted, so equal content gives equal bytes).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
