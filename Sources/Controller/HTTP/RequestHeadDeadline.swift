import HummingbirdCore
import Logging
import NIOCore

/// Closes an API connection whose first request head is not complete within `timeout` (slowloris).
///
/// Hummingbird's idle timeout only starts once the first head has been parsed (with the WebSocket
/// upgrade pipeline, its handler is added after that), so a client trickling its first head one byte
/// at a time would hold the connection for as long as the header size limit allows. This handler sits
/// in front of the HTTP decoder, watches raw bytes for the blank line that ends a head, and removes
/// itself once it has seen one; later requests on a kept-alive connection are bounded by the idle
/// timeout, and an upgraded WebSocket is left alone.
final class RequestHeadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let logger: Logger
    private let metrics: ControllerMetrics
    private var deadline: Scheduled<Void>?
    /// Line feeds seen in a row, ignoring carriage returns: two end the head.
    private var lineFeeds = 0
    private var headComplete = false

    init(timeout: TimeAmount, logger: Logger, metrics: ControllerMetrics) {
        self.timeout = timeout
        self.logger = logger
        self.metrics = metrics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !headComplete else {
            context.fireChannelRead(data)
            return
        }
        let buffer = unwrapInboundIn(data)
        headComplete = Self.scan(buffer.readableBytesView, lineFeeds: &lineFeeds)
        context.fireChannelRead(data)
        if headComplete {
            disarm()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    /// Whether `bytes` finish a head, given the line feeds in a row before them (updated).
    static func scan(_ bytes: ByteBufferView, lineFeeds: inout Int) -> Bool {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"):
                lineFeeds += 1
                if lineFeeds == 2 { return true }
            case UInt8(ascii: "\r"):
                continue
            default:
                lineFeeds = 0
            }
        }
        return false
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil, !headComplete else { return }
        let timeout = self.timeout, logger = self.logger, metrics = self.metrics
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            logger.info("dropped an HTTP client that sent no complete request head", metadata: [
                "reason": "header_timeout", "timeout": "\(timeout)",
                "peer": "\(context.channel.remoteAddress?.description ?? "?")",
            ])
            metrics.rejected(.api, .headerTimeout)
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension RequestHeadDeadlineHandler: Sendable {}

/// A server child channel with `RequestHeadDeadlineHandler` in front of `base`'s pipeline.
struct RequestHeadDeadlineChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let timeout: TimeAmount
    let metrics: ControllerMetrics

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(
                RequestHeadDeadlineHandler(timeout: timeout, logger: logger, metrics: metrics), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
