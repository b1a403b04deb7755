import Logging
import NIOCore
import NIOPosix
import NIOSSL
import NIOConcurrencyHelpers

/// How one connection ended (connection failures before registration are thrown as ``IRCError``).
enum IRCSessionEnd: Sendable, Hashable {
    case closed(reason: String)
    case authenticationFailed(String)
}

/// What a session reports to its connection while it runs.
struct IRCSessionEvents: Sendable {
    /// Registered and the channels joined, with our nickname.
    var ready: @Sendable (String) async -> Void
    var problem: @Sendable (String) async -> Void
    /// A message for us and its event id (unique across sessions and restarts).
    var deliver: @Sendable (IRCIncomingMessage, String) async -> Void
}

/// One IRC connection, from TCP connect to close: the thin NIO driver around ``IRCConnectionStateMachine``.
///
/// Every wait is bounded and cancellable. Connecting is bounded by `connect_timeout` and abandoned at once
/// on cancellation; the TLS handshake by the same timeout (``IRCTLSHandshakeWatcher``), a failure being
/// thrown as ``IRCError/Code/tlsHandshakeFailed``; registration by the state machine's deadline. Once
/// connected, cancelling the task closes the channel (after a best-effort QUIT), which ends every read and
/// write, so the session returns promptly whatever state it was in.
struct IRCSession: Sendable {
    let settings: IRCSettings
    let tlsContext: NIOSSLContext?
    let outbox: IRCOutbox
    let events: IRCSessionEvents
    let logger: Logger
    /// Unique per session, including across controller restarts: the first half of every event id.
    let epoch: String
    var group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    var tickInterval: Duration = .seconds(1)

    func run() async throws -> IRCSessionEnd {
        let (asyncChannel, handshake) = try await connect()
        let channel = asyncChannel.channel
        return try await withTaskCancellationHandler {
            try await asyncChannel.executeThenClose { inbound, outbound in
                if let handshake {
                    do {
                        try await handshake.get()
                    } catch let error as IRCError {
                        throw IRCError(.tlsHandshakeFailed, "TLS with \(settings.endpoint) failed: \(error.message)")
                    }
                }
                return try await converse(inbound: inbound, outbound: outbound, channel: channel)
            }
        } onCancel: {
            if let quit = try? IRCMessage(command: "QUIT", parameters: ["shutting down"]).serialized() {
                channel.writeAndFlush(ByteBuffer(bytes: quit), promise: nil)
            }
            channel.close(promise: nil)
        }
    }

    /// Connects and sets up the pipeline: TLS (with its watcher), the line decoder, the async bridge.
    private func connect() async throws -> (NIOAsyncChannel<ByteBuffer, ByteBuffer>, EventLoopFuture<Void>?) {
        let loop = group.next()
        let timeout = TimeAmount(settings.connectTimeout)
        let tlsContext = self.tlsContext
        let serverHostname = (try? SocketAddress(ipAddress: settings.host, port: 0)) == nil ? settings.host : nil
        let made = NIOLockedValueBox<(NIOAsyncChannel<ByteBuffer, ByteBuffer>, EventLoopFuture<Void>?)?>(nil)
        let connecting = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    var handshake: EventLoopFuture<Void>?
                    if let tlsContext {
                        try pipeline.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname))
                        let watcher = IRCTLSHandshakeWatcher(promise: channel.eventLoop.makePromise(), timeout: timeout)
                        handshake = watcher.future
                        try pipeline.addHandler(watcher)
                    }
                    try pipeline.addHandler(ByteToMessageHandler(IRCLineDecoder()))
                    let wrapped = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    made.withLockedValue { $0 = (wrapped, handshake) }
                }
            }
            .connect(host: settings.host, port: settings.port)
        // NIO cannot abort a connect in flight: stop waiting for it on cancellation, and close it should it succeed.
        let outcome = loop.makePromise(of: Channel.self)
        connecting.cascade(to: outcome)
        let channel: Channel
        do {
            channel = try await withTaskCancellationHandler {
                try await outcome.futureResult.get()
            } onCancel: {
                outcome.fail(CancellationError())
                connecting.whenSuccess { $0.close(promise: nil) }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw IRCError(.connectFailed, "cannot connect to \(settings.endpoint): \(error)")
        }
        guard let result = made.withLockedValue({ $0 }) else {
            channel.close(promise: nil)
            throw IRCError(.connectFailed, "the connection to \(settings.endpoint) was not set up")
        }
        return result
    }
}
