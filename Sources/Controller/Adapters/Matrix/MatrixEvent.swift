/// One event of a `/sync` answer, read leniently: a field of the wrong type reads as absent, so one odd or
/// hostile event never makes the whole answer unreadable (and the bot deaf).
public struct MatrixEvent: Decodable, Sendable, Hashable {
    public var type: String
    public var sender: String?
    public var eventID: String?
    public var stateKey: String?
    /// Milliseconds since the homeserver received it (`unsigned.age`): the homeserver's clock, not ours.
    public var age: Int64?
    /// `unsigned.prev_content.membership`: what a membership event changed from.
    public var previousMembership: String?
    public var content: MatrixEventContent
    /// For `m.direct` account data: the content, `{user id: [room ids]}`.
    public var direct: [String: [String]]?

    public init(
        type: String, sender: String? = nil, eventID: String? = nil, stateKey: String? = nil, age: Int64? = nil,
        previousMembership: String? = nil, content: MatrixEventContent = MatrixEventContent(), direct: [String: [String]]? = nil
    ) {
        self.type = type
        self.sender = sender
        self.eventID = eventID
        self.stateKey = stateKey
        self.age = age
        self.previousMembership = previousMembership
        self.content = content
        self.direct = direct
    }

    enum CodingKeys: String, CodingKey {
        case type, sender, content, unsigned, age
        case eventID = "event_id"
        case stateKey = "state_key"
        case prevContent = "prev_content"
        case membership
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = (try? container.decode(String.self, forKey: .type)) ?? ""
        sender = try? container.decode(String.self, forKey: .sender)
        eventID = try? container.decode(String.self, forKey: .eventID)
        stateKey = try? container.decode(String.self, forKey: .stateKey)
        content = (try? container.decode(MatrixEventContent.self, forKey: .content)) ?? MatrixEventContent()
        let unsigned = try? container.nestedContainer(keyedBy: CodingKeys.self, forKey: .unsigned)
        age = try? unsigned?.decode(Int64.self, forKey: .age)
        let previous = try? unsigned?.nestedContainer(keyedBy: CodingKeys.self, forKey: .prevContent)
        previousMembership = try? previous?.decode(String.self, forKey: .membership)
        if type == "m.direct" {
            direct = (try? container.decode(MatrixDirectRooms.Wire.self, forKey: .content))?.byUser
        }
    }
}

/// The content fields the adapter reads: a message's text and relations, a membership, `m.direct` account data.
public struct MatrixEventContent: Decodable, Sendable, Hashable {
    public var msgtype: String?
    public var body: String?
    /// `m.relates_to.rel_type` (`m.thread`, `m.replace`, ...).
    public var relationType: String?
    /// `m.relates_to.event_id`: the thread root, or the replaced event.
    public var relatedEventID: String?
    /// `m.relates_to.m.in_reply_to.event_id`: the message this one answers.
    public var inReplyTo: String?
    public var membership: String?
    /// `is_direct` on an invite: the inviter means a direct chat.
    public var isDirect: Bool?

    public init(
        msgtype: String? = nil, body: String? = nil, relationType: String? = nil, relatedEventID: String? = nil,
        inReplyTo: String? = nil, membership: String? = nil, isDirect: Bool? = nil
    ) {
        self.msgtype = msgtype
        self.body = body
        self.relationType = relationType
        self.relatedEventID = relatedEventID
        self.inReplyTo = inReplyTo
        self.membership = membership
        self.isDirect = isDirect
    }

    enum CodingKeys: String, CodingKey {
        case msgtype, body, membership
        case relatesTo = "m.relates_to"
        case relType = "rel_type"
        case eventID = "event_id"
        case inReplyTo = "m.in_reply_to"
        case isDirect = "is_direct"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        msgtype = try? container.decode(String.self, forKey: .msgtype)
        body = try? container.decode(String.self, forKey: .body)
        membership = try? container.decode(String.self, forKey: .membership)
        isDirect = try? container.decode(Bool.self, forKey: .isDirect)
        let relation = try? container.nestedContainer(keyedBy: CodingKeys.self, forKey: .relatesTo)
        relationType = try? relation?.decode(String.self, forKey: .relType)
        relatedEventID = try? relation?.decode(String.self, forKey: .eventID)
        let reply = try? relation?.nestedContainer(keyedBy: CodingKeys.self, forKey: .inReplyTo)
        inReplyTo = try? reply?.decode(String.self, forKey: .eventID)
    }
}
