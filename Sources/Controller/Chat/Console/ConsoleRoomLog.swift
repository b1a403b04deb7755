import Foundation

/// The rooms of the built-in consoles (`steward chat` and the web console): an in-memory, bounded log
/// per room that clients page through by revision. An edit gives the message a new revision, so
/// pollers see it again and replace it in place.
public actor ConsoleRoomLog {
    struct Entry {
        var line: API.ChatLine
    }

    private var rooms: [String: [Entry]] = [:]
    private var revision: Int64 = 0
    private var nextID: Int64 = 1
    private let maxMessagesPerRoom: Int
    private let now: @Sendable () -> Date

    public init(maxMessagesPerRoom: Int = 500, now: @escaping @Sendable () -> Date = { Date() }) {
        self.maxMessagesPerRoom = maxMessagesPerRoom
        self.now = now
    }

    /// Appends a message; returns its id.
    @discardableResult
    public func append(room: String, author: String, reply: ChatReply) -> String {
        revision += 1
        let id = "m\(nextID)"
        nextID += 1
        let line = API.ChatLine(id: id, revision: revision, author: author, text: reply.plainText, markdown: reply.markdown, postedAt: now())
        var entries = rooms[room] ?? []
        entries.append(Entry(line: line))
        if entries.count > maxMessagesPerRoom { entries.removeFirst(entries.count - maxMessagesPerRoom) }
        rooms[room] = entries
        return id
    }

    /// Replaces a message's content; false when it is gone (aged out).
    @discardableResult
    public func replace(room: String, id: String, with reply: ChatReply) -> Bool {
        guard let index = rooms[room]?.firstIndex(where: { $0.line.id == id }) else { return false }
        revision += 1
        rooms[room]![index].line.revision = revision
        rooms[room]![index].line.text = reply.plainText
        rooms[room]![index].line.markdown = reply.markdown
        return true
    }

    /// Messages of `room` added or edited after `after`, oldest revision first.
    public func page(room: String, after: Int64) -> API.ChatPage {
        let lines = (rooms[room] ?? []).map(\.line).filter { $0.revision > after }.sorted { $0.revision < $1.revision }
        return API.ChatPage(messages: lines, revision: lines.last?.revision ?? max(after, 0))
    }
}

/// The console platforms as a chat adapter: replies land in the room log.
public struct ConsoleChatAdapter: ChatAdapter {
    public let platform: String
    let log: ConsoleRoomLog

    public init(platform: String, log: ConsoleRoomLog) {
        self.platform = platform
        self.log = log
    }

    public var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: true, supportsThreads: false, maxMessageLength: 60_000)
    }

    public func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        let id = await log.append(room: room, author: "steward", reply: reply)
        return PostedMessage(room: room, thread: thread, messageID: id)
    }

    public func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        await log.replace(room: message.room, id: message.messageID, with: reply)
    }
}
