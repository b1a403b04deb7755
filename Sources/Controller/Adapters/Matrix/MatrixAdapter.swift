/// The outgoing side of Matrix: replies as `m.notice` messages (in the asker's thread when there was one),
/// progress as `m.replace` edits of that message.
public struct MatrixAdapter: ChatAdapter {
    /// Characters of reply text; an edit carries the text four times (body, HTML, and both again as fallback),
    /// and the whole event must stay under 64 KiB.
    public static let maxMessageLength = 8_000

    public let client: MatrixClient
    public let transactions: MatrixTransactionIDs

    public init(client: MatrixClient, transactions: MatrixTransactionIDs = MatrixTransactionIDs()) {
        self.client = client
        self.transactions = transactions
    }

    public var platform: String { "matrix" }

    public var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: true, supportsThreads: true, maxMessageLength: Self.maxMessageLength)
    }

    public func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        let content = MatrixRendering.message(reply, thread: thread, limit: Self.maxMessageLength)
        let eventID = try await client.send(content, room: room, transactionID: transactions.next())
        return PostedMessage(room: room, thread: thread, messageID: eventID)
    }

    public func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        let content = MatrixRendering.replacement(of: message.messageID, with: reply, limit: Self.maxMessageLength)
        _ = try await client.send(content, room: message.room, transactionID: transactions.next())
    }
}
