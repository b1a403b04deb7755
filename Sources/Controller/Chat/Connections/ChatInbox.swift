/// A bounded queue between an endpoint or socket that must answer the platform at once and the chat engine.
///
/// The receiving side calls ``deliver(_:via:)`` and acknowledges at once; ``run(engine:adapter:)`` (part of
/// the connection's `run`) hands each message to the engine, concurrently, so one long job does not hold up
/// the next command.
public struct ChatInbox: Sendable {
    struct Item: Sendable {
        var message: ChatMessage
        /// The adapter for this message's replies, when it differs from the connection's.
        var adapter: (any ChatAdapter)?
    }

    private let stream: AsyncStream<Item>
    private let continuation: AsyncStream<Item>.Continuation

    /// `capacity` bounds memory under a flood; beyond it the platform is told to retry later.
    public init(capacity: Int = 256) {
        (stream, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Queues a message without waiting; false when the queue is full or finished.
    @discardableResult
    public func deliver(_ message: ChatMessage, via adapter: (any ChatAdapter)? = nil) -> Bool {
        if case .enqueued = continuation.yield(Item(message: message, adapter: adapter)) { return true }
        return false
    }

    /// Hands queued messages to the engine until ``finish()`` or cancellation.
    public func run(engine: ChatEngine, adapter: any ChatAdapter) async {
        await withDiscardingTaskGroup { group in
            for await item in stream {
                group.addTask { await engine.handle(item.message, via: item.adapter ?? adapter) }
            }
        }
    }

    /// Stops ``run(engine:adapter:)`` once the messages already queued are handed on.
    public func finish() {
        continuation.finish()
    }
}
