/// Which rooms are direct rooms, asked once per room (`rooms.info`) and remembered.
///
/// Recent servers stream `__my_messages__` without the room type, so it is looked up. A group direct message (a `d`
/// room of three or more) counts as a channel: people talk there among themselves and must address the bot.
/// Memory stays bounded: past `capacity` rooms the cache starts over.
struct RocketChatRoomTypes: Sendable {
    let capacity: Int
    private var direct: [String: Bool] = [:]

    init(capacity: Int = 2048) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    func isDirect(_ roomID: String) -> Bool? { direct[roomID] }

    mutating func remember(_ roomID: String, _ room: RocketChatClient.Room) {
        if direct.count >= capacity { direct.removeAll(keepingCapacity: true) }
        direct[roomID] = Self.isDirect(room)
    }

    static func isDirect(_ room: RocketChatClient.Room) -> Bool {
        room.type == "d" && (room.usersCount ?? 2) <= 2
    }
}
