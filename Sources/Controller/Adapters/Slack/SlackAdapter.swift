/// The outgoing side of Slack: replies as `chat.postMessage` in the asker's thread, progress as `chat.update`,
/// output too long for a message as a file in the thread, and approval requests edited to show the decision.
public struct SlackAdapter: ChatAdapter {
    /// Slack truncates `text` above 40,000 characters.
    public static let maxMessageLength = 40_000
    /// Replies up to this many characters reach Slack whole (beyond a message, as a file); the engine cuts longer
    /// output and points at the full log.
    public static let maxUploadLength = 1_000_000

    public let client: SlackWebClient
    let approvals = SlackApprovalMessages()

    public init(client: SlackWebClient) {
        self.client = client
    }

    public var platform: String { "slack" }

    public var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: true, supportsThreads: true, maxMessageLength: Self.maxUploadLength)
    }

    public func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        let long = needsUpload(reply)
        let text = Self.mrkdwn(long ? Self.summary(of: reply) : reply)
        let posted = try await client.postMessage(
            channel: room, text: text, threadTS: thread, blocks: SlackBlocks.blocks(mrkdwn: text, actions: reply.actions))
        let message = PostedMessage(room: posted.channel, thread: thread, messageID: posted.ts)
        for ticket in SlackApprovalMessages.tickets(in: reply.actions) {
            await approvals.remember(ticket: ticket, .init(channel: posted.channel, ts: posted.ts, text: text))
        }
        if long { await upload(reply, for: message) }
        return message
    }

    public func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        let long = needsUpload(reply)
        try await client.update(channel: message.room, ts: message.messageID, text: Self.mrkdwn(long ? Self.summary(of: reply) : reply))
        if long { await upload(reply, for: message) }
    }

    public func approvalClosed(_ ticketID: String, _ outcome: ChatApprovalOutcome) async {
        guard let request = await approvals.take(ticket: ticketID) else { return }
        let decision = Self.decision(outcome)
        // Best effort: a failed edit is recorded in health by the client, and the decision was also posted as a reply.
        try? await client.update(
            channel: request.channel, ts: request.ts, text: request.text + "\n" + decision,
            blocks: SlackBlocks.decided(mrkdwn: request.text, decision: decision))
    }

    /// A final reply that does not fit in a message; a running job's progress is cut instead (its final state uploads).
    func needsUpload(_ reply: ChatReply) -> Bool {
        !reply.isPartial && Self.mrkdwn(reply, limit: .max).count > Self.maxMessageLength
    }

    /// Uploads the whole reply as a text file in the message's thread; when that fails, the message shows the
    /// reply cut at Slack's limit instead (the failure is in health).
    func upload(_ reply: ChatReply, for message: PostedMessage) async {
        let content = Array(reply.plainText.utf8)
        let share = SlackWebClient.FileShare(
            channel: message.room, threadTS: message.thread ?? message.messageID, title: Self.title(of: reply),
            initialComment: "full output (\(content.count) bytes)")
        do {
            _ = try await client.uploadFile(named: Self.filename, content: content, share: share)
        } catch {
            try? await client.update(channel: message.room, ts: message.messageID, text: Self.mrkdwn(reply))
        }
    }
}
