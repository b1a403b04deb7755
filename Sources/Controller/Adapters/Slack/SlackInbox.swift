/// A bounded queue between the events endpoint (which must answer Slack within 3 s) and the chat engine.
///
/// The endpoint calls ``deliver(_:)`` and acknowledges at once; ``run(engine:adapter:)`` (a long-running
/// task in the controller's service group) hands each message to the engine, concurrently, so one long
/// job does not hold up the next command.
public struct SlackInbox: Sendable {
    private let stream: AsyncStream<ChatMessage>
    private let continuation: AsyncStream<ChatMessage>.Continuation

    /// `capacity` bounds memory under a flood; beyond it the endpoint answers 503 and Slack retries later.
    public init(capacity: Int = 256) {
        (stream, continuation) = AsyncStream.makeStream(of: ChatMessage.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Queues a message without waiting; false when the queue is full or finished.
    @discardableResult
    public func deliver(_ message: ChatMessage) -> Bool {
        if case .enqueued = continuation.yield(message) { return true }
        return false
    }

    /// Hands queued messages to the engine until ``finish()`` or cancellation.
    public func run(engine: ChatEngine, adapter: any ChatAdapter) async {
        await withDiscardingTaskGroup { group in
            for await message in stream {
                group.addTask { await engine.handle(message, via: adapter) }
            }
        }
    }

    /// Stops ``run(engine:adapter:)`` once the messages already queued are handed on.
    public func finish() {
        continuation.finish()
    }
}
