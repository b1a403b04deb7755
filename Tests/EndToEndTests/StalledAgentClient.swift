import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import StewardProtocol
import Synchronization

/// An enrolled agent's identity speaking mutual TLS to the controller, driven by hand: it says Hello and
/// then stops reading, so whatever the controller sends piles up in the kernel buffers and then in the
/// controller. Its receive buffer is tiny so that happens after a few KiB. With `counting`, it reads
/// instead and counts the messages the controller sends, by name (a flooding peer).
final class StalledAgentClient: Sendable {
    let channel: any Channel
    /// Messages received, by name (`Pong`, `Welcome`, ...), when connected with `counting: true`.
    let received: MessageCounts

    private init(channel: any Channel, received: MessageCounts) {
        self.channel = channel
        self.received = received
    }

    /// Connects with the identity in an agent state directory written by `steward-agent enroll`.
    static func connect(port: Int, agentStateDir: String, counting: Bool = false) async throws -> StalledAgentClient {
        let identity = "\(agentStateDir)/identity"
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv13
        tls.applicationProtocols = [StewardTLS.alpn]
        func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: "\(identity)/\(name)"))) }
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: try bytes("ca-cert.der"), format: .der)])
        tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: try bytes("agent-cert.der"), format: .der))]
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: try bytes("agent-key.pem"), format: .pem))
        let context = try NIOSSLContext(configuration: tls)
        let handshake = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        let counts = MessageCounts()

        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_rcvbuf), value: counting ? 1 << 20 : 4096)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: StewardTLS.controllerServerName))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: handshake, forward: counting))
                    if counting {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(StewardMessageDecoder(limits: .default)))
                        try channel.pipeline.syncOperations.addHandler(MessageCounter(counts: counts))
                    }
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await handshake.futureResult.get()
        return StalledAgentClient(channel: channel, received: counts)
    }

    /// How many messages named `name` arrived.
    func count(_ name: String) -> Int { received.count(name) }

    /// Hello with the protocol range and a boot id; the controller answers Welcome and the session is active.
    func sendHello() async throws {
        var hello = Wire.Hello()
        hello.minVersion = ProtocolVersion.minimum
        hello.maxVersion = ProtocolVersion.maximum
        hello.agentVersion = StewardVersion.current
        hello.bootID = "stalled-agent-boot"
        try await send(.hello(hello))
    }

    func send(_ message: StewardMessage) async throws {
        try await channel.writeAndFlush(try MessageCodec.frame(message)).get()
    }

    /// From now on nothing is read: the TCP window closes once the receive buffer is full.
    func stopReading() async throws {
        try await channel.setOption(.autoRead, value: false).get()
    }

    var isOpen: Bool { channel.isActive }

    func close() async { try? await channel.close() }

    /// Completes the promise when the TLS handshake is done (or failed).
    private final class HandshakeWatcher: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<Void>
        let forward: Bool

        init(promise: EventLoopPromise<Void>, forward: Bool) {
            self.promise = promise
            self.forward = forward
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted = event { promise.succeed() }
            context.fireUserInboundEventTriggered(event)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            // Discarded unless counting: a stalled client never looks at what the controller says.
            if forward { context.fireChannelRead(data) }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(ChannelError.ioOnClosedChannel)
            context.fireChannelInactive()
        }
    }

    /// Counts decoded messages by name.
    private final class MessageCounter: ChannelInboundHandler, Sendable {
        typealias InboundIn = StewardMessage
        let counts: MessageCounts

        init(counts: MessageCounts) { self.counts = counts }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            counts.add(unwrapInboundIn(data).name)
        }
    }
}

/// Messages received by name, shared between the event loop and the test.
final class MessageCounts: Sendable {
    private let storage = Mutex<[String: Int]>([:])

    func add(_ name: String) { storage.withLock { $0[name, default: 0] += 1 } }

    func count(_ name: String) -> Int { storage.withLock { $0[name] ?? 0 } }
}
