import Logging

/// Where a webhook command's replies go: the synchronous HTTP answer (for the first reply of a
/// Slack-compatible outgoing webhook, if it comes in time), else the configured reply URL, else nowhere
/// (the job is still in history and the audit trail).
struct WebhookReplyAdapter: ChatAdapter {
    /// Incoming webhooks of Mattermost cap a post at 16,383 characters; Slack's at 40,000.
    static let maxMessageLength = 16_000

    let first: FirstReply?
    let reply: WebhookReplyClient?
    let logger: Logger

    var platform: String { "webhook" }

    var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: false, supportsThreads: false, maxMessageLength: Self.maxMessageLength)
    }

    func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        let text = reply.markdown
        if let first, await first.offer(text) {
            return PostedMessage(room: room, thread: thread, messageID: "http-answer")
        }
        if let client = self.reply {
            try await client.send(text: text)
        } else {
            logger.debug("webhook reply dropped: no reply_url configured", metadata: ["chat.room": "\(room)"])
        }
        return PostedMessage(room: room, thread: thread, messageID: "reply-url")
    }

    func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        _ = try await post(reply, room: message.room, thread: message.thread)
    }
}

/// The first reply to a request, while the request still waits for it.
actor FirstReply {
    private var text: String?
    private var closed = false

    /// True when `reply` becomes the HTTP answer; false once the request stopped waiting.
    func offer(_ reply: String) -> Bool {
        guard !closed, text == nil else { return false }
        text = reply
        return true
    }

    var hasReply: Bool { text != nil }

    /// Stops taking replies; returns the one taken, if any.
    func close() -> String? {
        closed = true
        return text
    }

    /// Waits up to `timeout` for the first reply, then closes.
    func wait(upTo timeout: Duration) async -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while text == nil, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return close()
    }
}
