import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import StewardProtocol

/// An enrolled agent's identity speaking mutual TLS to the controller, driven by hand: it says Hello and
/// then stops reading, so whatever the controller sends piles up in the kernel buffers and then in the
/// controller. Its receive buffer is tiny so that happens after a few KiB.
final class StalledAgentClient: Sendable {
    let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects with the identity in an agent state directory written by `steward-agent enroll`.
    static func connect(port: Int, agentStateDir: String) async throws -> StalledAgentClient {
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

        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_rcvbuf), value: 4096)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: StewardTLS.controllerServerName))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: handshake))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await handshake.futureResult.get()
        return StalledAgentClient(channel: channel)
    }

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

        init(promise: EventLoopPromise<Void>) { self.promise = promise }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted = event { promise.succeed() }
            context.fireUserInboundEventTriggered(event)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            // Discard: this client never looks at what the controller says.
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
}
