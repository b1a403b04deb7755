import NIOCore
import NIOTLS

/// Sits after `NIOSSLClientHandler` and turns the handshake's outcome into a future: success on
/// `handshakeCompleted`; failure on the TLS error (an unknown or wrong certificate), on the connection
/// closing first, or when no handshake finished within `timeout` (then it also closes the channel).
///
/// The future always completes, whatever happens to the channel, so awaiting it can never hang.
final class IRCTLSHandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let future: EventLoopFuture<Void>
    private let promise: EventLoopPromise<Void>
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?

    init(promise: EventLoopPromise<Void>, timeout: TimeAmount) {
        self.promise = promise
        self.future = promise.futureResult
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let promise = self.promise
        let timeout = self.timeout
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) {
            promise.fail(IRCError(.tlsHandshakeFailed, "no TLS handshake within \(timeout.nanoseconds / 1_000_000) ms"))
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish(.failure(IRCError(.tlsHandshakeFailed, "the connection closed before the TLS handshake finished")))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { finish(.success(())) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(.failure(IRCError(.tlsHandshakeFailed, "\(error)")))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(IRCError(.tlsHandshakeFailed, "the connection closed before the TLS handshake finished")))
        context.fireChannelInactive()
    }

    private func finish(_ result: Result<Void, Error>) {
        timer?.cancel()
        timer = nil
        promise.completeWith(result)
    }
}
