import Foundation

/// The `m.direct` account data: which rooms are direct chats, by the other person's user id.
///
/// Clients mark a chat as direct there (and in the invite's `is_direct`); the bot takes any message in such
/// a room as addressed to it.
public struct MatrixDirectRooms: Sendable, Hashable {
    public private(set) var byUser: [String: [String]]

    public init(_ byUser: [String: [String]] = [:]) {
        self.byUser = byUser
    }

    public var rooms: Set<String> { Set(byUser.values.joined()) }

    /// Adds `room` as a direct chat with `user`; false when it was already there.
    public mutating func add(room: String, with user: String) -> Bool {
        guard !(byUser[user] ?? []).contains(room) else { return false }
        byUser[user, default: []].append(room)
        return true
    }

    /// Reads `m.direct` content leniently; anything unreadable counts as no direct chats.
    static func parse(_ data: Data) -> [String: [String]] {
        (try? JSONDecoder().decode(Wire.self, from: data))?.byUser ?? [:]
    }

    /// `{user id: [room ids]}` where values that are not lists of strings are skipped.
    struct Wire: Decodable {
        var byUser: [String: [String]]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            var byUser: [String: [String]] = [:]
            for key in container.allKeys {
                guard let rooms = try? container.decode(MatrixLossyArray<String>.self, forKey: key) else { continue }
                let ids = rooms.items.filter { !$0.isEmpty }
                if !ids.isEmpty { byUser[key.stringValue] = ids }
            }
            self.byUser = byUser
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
