import Logging

/// The outgoing side of Feishu/Lark: text replies to the asker's message, progress as edits of that reply.
///
/// When Feishu refuses an edit (20 per message, or past the tenant's edit window) the new state goes out as
/// a fresh reply, which later edits then update: progress degrades to a few messages instead of stopping.
/// An edit still rate limited after the client's one retry is dropped; the next update carries newer state.
public struct FeishuAdapter: ChatAdapter {
    /// Text messages are capped at 150 KB of request body; the text is JSON inside JSON, so a character may
    /// cost up to 7 bytes (a control character escaped twice): 20,000 characters stay well inside.
    public static let maxMessageLength = 20_000
    /// Feishu's documented limit of edits per message.
    static let editsPerMessage = 20

    public let platform: String
    let client: FeishuOpenAPI
    let edits: FeishuEditBook
    let logger: Logger

    /// - Parameter platform: `feishu` or `lark`.
    public init(platform: String, client: FeishuOpenAPI, logger: Logger) {
        self.platform = platform
        self.client = client
        self.edits = FeishuEditBook()
        self.logger = logger
    }

    public var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: true, supportsThreads: true, maxMessageLength: Self.maxMessageLength)
    }

    /// A reply to the message `thread` names (the asker's message), or a new message in the chat without one.
    public func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        let text = Self.text(reply)
        let id = try await send(text, room: room, thread: thread)
        await edits.posted(id, showing: text)
        return PostedMessage(room: room, thread: thread, messageID: id)
    }

    /// An edit of the message (or of the reply that took over from it); nothing when it already shows the text.
    public func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        let text = Self.text(reply)
        guard await !edits.shows(text, for: message.messageID) else { return }
        let entry = await edits.entry(for: message.messageID)
        if entry.edits < Self.editsPerMessage {
            do {
                try await client.update(messageID: entry.target, text: text)
                await edits.recordEdit(of: message.messageID, showing: text)
                return
            } catch let error as FeishuError where error.code == .apiError {
                logger.debug("Feishu refused an edit; posting the update as a new reply", metadata: [
                    "chat.platform": "\(platform)", "feishu.code": "\(error.feishuCode ?? 0)",
                ])
            } catch let error as FeishuError where error.code == .rateLimited || error.code == .transport {
                // Throwing would end the engine's progress for the whole job; the next update supersedes this one.
                logger.warning("a Feishu progress edit was dropped", metadata: ["chat.platform": "\(platform)", "error": "\(error)"])
                return
            }
        }
        let fresh = try await send(text, room: message.room, thread: message.thread)
        await edits.replace(message.messageID, with: fresh, showing: text)
    }

    private func send(_ text: String, room: String, thread: String?) async throws -> String {
        if let thread {
            try await client.reply(to: thread, text: text)
        } else {
            try await client.send(chatID: room, text: text)
        }
    }

    /// Plain text (text messages render no markdown), cut to `limit` characters with a marker.
    static func text(_ reply: ChatReply, limit: Int = maxMessageLength) -> String {
        let text = reply.plainText
        guard text.count > limit else { return text }
        let marker = "\n… (truncated)"
        return String(text.prefix(max(limit - marker.count, 0))) + marker
    }
}
