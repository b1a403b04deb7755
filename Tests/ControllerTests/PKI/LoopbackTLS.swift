import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import StewardAgent
import Synchronization

/// What the test server saw on one connection once TLS finished (or failed).
enum TLSServerObservation: Sendable {
    /// Handshake done; the DER of the client's certificate, nil when it presented none.
    case handshakeCompleted(peerCertificateDER: [UInt8]?, alpn: String?, version: TLSVersion?)
    case failed(String)
}

struct LoopbackTimeout: Error {}

/// Server side: reports the handshake outcome and the peer certificate, then echoes bytes.
final class ObservingEchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let report: @Sendable (TLSServerObservation) -> Void

    init(report: @escaping @Sendable (TLSServerObservation) -> Void) {
        self.report = report
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted(let alpn) = event {
            // This is the snippet the gateway needs: nil means "no client certificate".
            let peer = try? context.pipeline.syncOperations.nioSSL_peerCertificate()
            let version = try? context.pipeline.syncOperations.nioSSL_tlsVersion()
            report(.handshakeCompleted(peerCertificateDER: try? peer?.toDERBytes(), alpn: alpn, version: version))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        report(.failed("\(error)"))
        context.close(promise: nil)
    }
}

/// What the client got back: the echoed text and the chain its TLS verification validated.
struct EchoResult: Sendable {
    let text: String
    /// Filled only by a custom verification callback (the enrollment handler), nil otherwise.
    let validatedChain: ValidatedCertificateChain?
}

/// Client side: sends one message and completes with the echo, or fails.
final class EchoClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let message: String
    private let result: EventLoopPromise<EchoResult>
    private var validatedChain: ValidatedCertificateChain?

    init(message: String, result: EventLoopPromise<EchoResult>) {
        self.message = message
        self.result = result
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: message)), promise: nil)
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            validatedChain = try? context.pipeline.syncOperations.nioSSL_peerValidatedCertificateChain()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        result.succeed(EchoResult(text: buffer.readString(length: buffer.readableBytes) ?? "", validatedChain: validatedChain))
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        result.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        result.fail(ChannelError.eof)
        context.fireChannelInactive()
    }
}

/// A TLS echo server on 127.0.0.1 with an ephemeral port, recording what each connection saw.
struct LoopbackTLSServer {
    let channel: Channel
    let observations: AsyncStream<TLSServerObservation>

    static func start(configuration: TLSConfiguration) async throws -> LoopbackTLSServer {
        let context = try NIOSSLContext(configuration: configuration)
        let (stream, continuation) = AsyncStream<TLSServerObservation>.makeStream()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        NIOSSLServerHandler(context: context),
                        ObservingEchoHandler(report: { continuation.yield($0) })
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return LoopbackTLSServer(channel: channel, observations: stream)
    }

    var port: Int { channel.localAddress?.port ?? 0 }

    /// The first thing the server observed, failing after a deadline instead of hanging.
    func firstObservation() async throws -> TLSServerObservation {
        try await withThrowingTaskGroup(of: TLSServerObservation?.self) { group in
            group.addTask {
                for await observation in observations { return observation }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                throw LoopbackTimeout()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let observation = first else { throw LoopbackTimeout() }
            return observation
        }
    }

    func stop() async throws {
        try await channel.close()
    }
}

/// Connects to `port`, adds the TLS handler `makeTLSHandler` builds, sends `message` and returns
/// the echo; fails (within 10 s) if TLS or the server refuses the connection.
func echoOverTLS(
    port: Int,
    message: String = "hello",
    makeTLSHandler: @escaping @Sendable () throws -> NIOSSLClientHandler
) async throws -> EchoResult {
    let group = MultiThreadedEventLoopGroup.singleton
    let promise = group.next().makePromise(of: EchoResult.self)
    let timeout = promise.futureResult.eventLoop.scheduleTask(in: .seconds(10)) { promise.fail(LoopbackTimeout()) }
    defer { timeout.cancel() }
    do {
        _ = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        makeTLSHandler(),
                        EchoClientHandler(message: message, result: promise)
                    )
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
    } catch {
        promise.fail(error)
    }
    return try await promise.futureResult.get()
}

/// Collects verification rejections reported from the event loop.
final class RejectionLog: Sendable {
    private let storage = Mutex<[AgentIdentityError.Code]>([])

    func append(_ code: AgentIdentityError.Code) {
        storage.withLock { $0.append(code) }
    }

    var codes: [AgentIdentityError.Code] { storage.withLock { $0 } }
}
