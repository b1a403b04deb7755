/// The ids of the last `capacity` messages handed to the engine, so a message streamed again (after a reconnect, or
/// re-emitted when someone reacts to it) runs nothing twice. Memory stays bounded: the oldest id is forgotten first.
struct RocketChatRecentIDs: Sendable {
    let capacity: Int
    private var order: [String] = []
    private var next = 0
    private var members: Set<String> = []

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    func contains(_ id: String) -> Bool { members.contains(id) }

    var count: Int { members.count }

    /// Remembers `id`; false when it was already known.
    @discardableResult
    mutating func insert(_ id: String) -> Bool {
        guard members.insert(id).inserted else { return false }
        if order.count < capacity {
            order.append(id)
        } else {
            members.remove(order[next])
            order[next] = id
            next = (next + 1) % capacity
        }
        return true
    }
}
