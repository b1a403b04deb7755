import Foundation

/// The parts of a `/sync` answer the bot reads: the next batch token, joined rooms' timelines, invites,
/// and global account data (`m.direct`).
public struct MatrixSyncResponse: Sendable, Hashable {
    /// A joined room's new timeline events, oldest first.
    public struct JoinedRoom: Sendable, Hashable {
        public var roomID: String
        public var events: [MatrixEvent]
        /// True when the homeserver left out older events (a gap); they are not fetched.
        public var limited: Bool
    }

    /// An invite for the bot, from the invite's stripped state.
    public struct Invite: Sendable, Hashable {
        public var roomID: String
        public var inviter: String?
        public var isDirect: Bool
    }

    public var nextBatch: String
    public var joined: [JoinedRoom]
    public var invites: [Invite]
    public var accountData: [MatrixEvent]

    /// Parses an answer; only a missing `next_batch` (or non-JSON) is an error, odd events are skipped.
    public static func parse(_ data: Data, botUserID: String? = nil) throws -> MatrixSyncResponse {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: data)
        } catch {
            throw MatrixError(.malformedResponse, "the /sync answer is not the JSON the client-server API documents")
        }
        guard !wire.next_batch.isEmpty, wire.next_batch.utf8.count <= 1024 else {
            throw MatrixError(.malformedResponse, "the /sync answer has no usable next_batch")
        }
        let joined = (wire.rooms?.join ?? [:]).sorted { $0.key < $1.key }.map { roomID, room in
            JoinedRoom(roomID: roomID, events: room.timeline?.events.items ?? [], limited: room.timeline?.limited ?? false)
        }
        let invites = (wire.rooms?.invite ?? [:]).sorted { $0.key < $1.key }.map { roomID, room in
            let events = room.invite_state?.events.items ?? []
            let own = events.last { $0.type == "m.room.member" && $0.content.membership == "invite" && (botUserID == nil || $0.stateKey == botUserID) }
            return Invite(roomID: roomID, inviter: own?.sender, isDirect: own?.content.isDirect ?? false)
        }
        return MatrixSyncResponse(
            nextBatch: wire.next_batch, joined: joined, invites: invites, accountData: wire.account_data?.events.items ?? [])
    }

    private struct Wire: Decodable {
        var next_batch: String
        var rooms: Rooms?
        var account_data: Events?

        enum CodingKeys: String, CodingKey { case next_batch, rooms, account_data }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            next_batch = try container.decode(String.self, forKey: .next_batch)
            rooms = try? container.decode(Rooms.self, forKey: .rooms)
            account_data = try? container.decode(Events.self, forKey: .account_data)
        }
    }

    private struct Rooms: Decodable {
        var join: [String: Joined]?
        var invite: [String: Invited]?
    }

    private struct Joined: Decodable {
        var timeline: Timeline?

        init(from decoder: any Decoder) throws {
            timeline = try? decoder.container(keyedBy: CodingKeys.self).decode(Timeline.self, forKey: .timeline)
        }

        enum CodingKeys: String, CodingKey { case timeline }
    }

    private struct Timeline: Decodable {
        var events: MatrixLossyArray<MatrixEvent>
        var limited: Bool?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            events = (try? container.decode(MatrixLossyArray<MatrixEvent>.self, forKey: .events)) ?? MatrixLossyArray(items: [])
            limited = try? container.decode(Bool.self, forKey: .limited)
        }

        enum CodingKeys: String, CodingKey { case events, limited }
    }

    private struct Invited: Decodable {
        var invite_state: Events?

        init(from decoder: any Decoder) throws {
            invite_state = try? decoder.container(keyedBy: CodingKeys.self).decode(Events.self, forKey: .invite_state)
        }

        enum CodingKeys: String, CodingKey { case invite_state }
    }

    private struct Events: Decodable {
        var events: MatrixLossyArray<MatrixEvent>

        init(from decoder: any Decoder) throws {
            events = (try? decoder.container(keyedBy: CodingKeys.self).decode(MatrixLossyArray<MatrixEvent>.self, forKey: .events)) ?? MatrixLossyArray(items: [])
        }

        enum CodingKeys: String, CodingKey { case events }
    }
}

/// An array whose unreadable elements are skipped rather than failing the whole array.
struct MatrixLossyArray<Element: Decodable & Sendable>: Decodable, Sendable {
    var items: [Element]

    init(items: [Element]) {
        self.items = items
    }

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var items: [Element] = []
        while !container.isAtEnd {
            if let item = try? container.decode(Element.self) {
                items.append(item)
            } else if (try? container.decode(Skipped.self)) == nil {
                break
            }
        }
        self.items = items
    }

    /// Consumes any JSON value.
    private struct Skipped: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
