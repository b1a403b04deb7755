/// Replies as Rocket.Chat messages in the asker's thread; live progress by `chat.update`.
public struct RocketChatAdapter: ChatAdapter {
    public let client: RocketChatClient
    public let maxMessageLength: Int

    public init(client: RocketChatClient, maxMessageLength: Int = RocketChatRendering.defaultMaxMessageLength) {
        self.client = client
        self.maxMessageLength = maxMessageLength
    }

    public var platform: String { "rocketchat" }

    public var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: true, supportsThreads: true, maxMessageLength: maxMessageLength)
    }

    public func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        let id = try await client.postMessage(
            roomID: room, text: RocketChatRendering.text(reply, limit: maxMessageLength), threadID: thread)
        return PostedMessage(room: room, thread: thread, messageID: id)
    }

    public func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        try await client.update(
            roomID: message.room, messageID: message.messageID, text: RocketChatRendering.text(reply, limit: maxMessageLength))
    }
}
