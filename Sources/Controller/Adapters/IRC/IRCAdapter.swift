import Synchronization

/// The outgoing side of IRC: replies become PRIVMSG lines in the room they came from.
///
/// IRC has no edits, so ``edit(_:with:)`` posts only the lines that are new since the message was last
/// posted or edited: a job shows as its acknowledgement, a short line whenever the count of finished
/// hosts changes, then the final summary, never the whole message again. A reply longer than
/// `maxLines` is cut with a note; lines are paced by the connection's send throttle.
public struct IRCAdapter: ChatAdapter {
    /// Kept short: the engine cuts job output to this many characters and points at `job ID` for the rest.
    public static let maxMessageLength = 2000

    let outbox: IRCOutbox
    let maxLines: Int
    private let sent = SentLines()

    init(outbox: IRCOutbox, maxLines: Int) {
        self.outbox = outbox
        self.maxLines = maxLines
    }

    public var platform: String { "irc" }

    public var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: false, supportsThreads: false, maxMessageLength: Self.maxMessageLength, postsChangedLines: true)
    }

    public func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        let lines = IRCText.lines(of: reply.plainText)
        try send(lines, to: room)
        let id = sent.record(lines)
        return PostedMessage(room: room, thread: nil, messageID: id)
    }

    public func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        let lines = IRCText.lines(of: reply.plainText)
        try send(sent.replace(message.messageID, with: lines), to: message.room)
    }

    func send(_ lines: [String], to room: String) throws(IRCError) {
        var lines = lines
        if lines.count > maxLines {
            let cut = lines.count - (maxLines - 1)
            lines = Array(lines.prefix(maxLines - 1)) + ["… \(cut) more lines not shown on IRC (see the web console or `steward job`)"]
        }
        let now = ContinuousClock.now
        try outbox.enqueue(lines.map { IRCOutbox.Line(target: room, text: $0, queuedAt: now) })
    }
}

/// What each posted message last showed, so an edit sends only its new lines; the oldest are forgotten.
private final class SentLines: Sendable {
    private struct State {
        var next = 0
        var lines: [String: [String]] = [:]
        var order: [String] = []
    }

    static let remembered = 256
    private let state = Mutex(State())

    func record(_ lines: [String]) -> String {
        state.withLock { state in
            state.next += 1
            let id = "irc-\(state.next)"
            Self.store(id, lines, in: &state)
            return id
        }
    }

    /// The lines of `lines` not already shown by message `id` (each shown line counts once).
    func replace(_ id: String, with lines: [String]) -> [String] {
        state.withLock { state in
            var shown: [String: Int] = [:]
            for line in state.lines[id] ?? [] { shown[line, default: 0] += 1 }
            let fresh = lines.filter { line in
                guard let count = shown[line], count > 0 else { return true }
                shown[line] = count - 1
                return false
            }
            Self.store(id, lines, in: &state)
            return fresh
        }
    }

    private static func store(_ id: String, _ lines: [String], in state: inout State) {
        if state.lines.updateValue(lines, forKey: id) == nil { state.order.append(id) }
        while state.order.count > remembered { state.lines[state.order.removeFirst()] = nil }
    }
}
