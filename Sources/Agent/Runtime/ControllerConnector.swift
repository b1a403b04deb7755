import NIOCore
import NIOPosix
import NIOSSL
import StewardProtocol

/// A framed, TLS-protected message channel to the controller.
public typealias ControllerChannel = NIOAsyncChannel<StewardMessage, StewardMessage>

/// Dials the controller: TCP with a connect timeout, TLS, then the Steward frame codec, wrapped as
/// an async channel of messages.
///
/// The TLS handler comes from a factory so the same connector serves enrollment (CA pinned by
/// fingerprint, no client certificate) and sessions (mutual TLS), and so a renewed certificate is
/// picked up by the next connection.
public struct ControllerConnector: Sendable {
    /// Makes the TLS handler for one connection; called on the channel's event loop.
    public typealias TLSHandlerFactory = @Sendable () throws -> NIOSSLClientHandler

    public var endpoint: ControllerEndpoint
    public var connectTimeout: TimeAmount
    public var limits: ProtocolLimits
    public var makeTLSHandler: TLSHandlerFactory
    public var eventLoopGroup: any EventLoopGroup

    public init(
        endpoint: ControllerEndpoint,
        connectTimeout: TimeAmount = .seconds(10),
        limits: ProtocolLimits = .default,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        makeTLSHandler: @escaping TLSHandlerFactory
    ) {
        self.endpoint = endpoint
        self.connectTimeout = connectTimeout
        self.limits = limits
        self.eventLoopGroup = eventLoopGroup
        self.makeTLSHandler = makeTLSHandler
    }

    /// Connects; the TLS handshake completes (or fails) as the first messages flow.
    public func connect() async throws -> ControllerChannel {
        let limits = self.limits
        let makeTLSHandler = self.makeTLSHandler
        do {
            return try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(connectTimeout)
                .channelOption(.socketOption(.so_keepalive), value: 1)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(try makeTLSHandler())
                        try pipeline.addHandler(ByteToMessageHandler(StewardMessageDecoder(limits: limits)))
                        try pipeline.addHandler(MessageToByteHandler(StewardMessageEncoder(limits: limits)))
                        return try ControllerChannel(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw AgentRuntimeError(.connectionFailed, "cannot connect to the controller at \(endpoint): \(error)")
        }
    }
}
