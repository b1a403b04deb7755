/// The outgoing side of Slack: replies as `chat.postMessage` in the asker's thread, progress as `chat.update`.
public struct SlackAdapter: ChatAdapter {
    /// Slack truncates `text` above 40,000 characters.
    public static let maxMessageLength = 40_000

    public let client: SlackWebClient

    public init(client: SlackWebClient) {
        self.client = client
    }

    public var platform: String { "slack" }

    public var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: true, supportsThreads: true, maxMessageLength: Self.maxMessageLength)
    }

    public func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        let text = Self.mrkdwn(reply)
        let posted = try await client.postMessage(
            channel: room, text: text, threadTS: thread, blocks: SlackBlocks.blocks(mrkdwn: text, actions: reply.actions))
        return PostedMessage(room: posted.channel, thread: thread, messageID: posted.ts)
    }

    public func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        try await client.update(channel: message.room, ts: message.messageID, text: Self.mrkdwn(reply))
    }

    /// Slack mrkdwn: `&`, `<` and `>` escaped (else `<...>` would be read as links or mentions), code in ``` fences,
    /// cut to `limit` characters with the fence closed so the tail does not turn into code.
    static func mrkdwn(_ reply: ChatReply, limit: Int = maxMessageLength) -> String {
        let rendered = ChatReply(reply.blocks.map { block in
            switch block {
            case .text(let text): .text(escaped(text))
            case .code(let code): .code(escaped(code))
            }
        }).markdown
        guard rendered.count > limit else { return rendered }
        let marker = "\n… (truncated)"
        var cut = String(rendered.prefix(max(limit - marker.count - 4, 0)))
        if cut.components(separatedBy: "```").count % 2 == 0 { cut += "\n```" }
        return cut + marker
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
