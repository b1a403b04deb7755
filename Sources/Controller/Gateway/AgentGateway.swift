import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import StewardProtocol

/// The TLS listener agents dial into; one `AgentConnection` per accepted connection.
public struct AgentGateway: Service, CustomStringConvertible {
    let host: String
    let port: Int
    let tlsConfiguration: TLSConfiguration
    let context: GatewayContext
    let limits: ProtocolLimits
    let eventLoopGroup: any EventLoopGroup
    let onBound: @Sendable (SocketAddress) async -> Void

    init(
        host: String,
        port: Int,
        tlsConfiguration: TLSConfiguration,
        context: GatewayContext,
        limits: ProtocolLimits = .default,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onBound: @escaping @Sendable (SocketAddress) async -> Void
    ) {
        self.host = host
        self.port = port
        self.tlsConfiguration = tlsConfiguration
        self.context = context
        self.limits = limits
        self.eventLoopGroup = eventLoopGroup
        self.onBound = onBound
    }

    public var description: String { "AgentGateway(\(host):\(port))" }

    public func run() async throws {
        let sslContext = try NIOSSLContext(configuration: tlsConfiguration)
        let limits = self.limits
        let server = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(StewardMessageDecoder(limits: limits)))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(StewardMessageEncoder(limits: limits)))
                    return try NIOAsyncChannel<StewardMessage, StewardMessage>(wrappingChannelSynchronously: channel)
                }
            }
        if let address = server.channel.localAddress { await onBound(address) }
        context.logger.info("agent gateway listening", metadata: ["address": "\(server.channel.localAddress?.description ?? "?")"])

        // One timer ticks every session; it stops once the listener and every connection are done.
        let ticker = context.ticker
        let ticking = Task { await ticker.run() }
        defer { ticking.cancel() }
        let admission = ConnectionAdmission(limit: context.limits.maxAgentConnections)
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        context.metrics.agentConnectionAccepted()
                        switch admission.admit() {
                        case .admitted:
                            group.addTask {
                                defer { admission.release() }
                                await AgentConnection(channel: connection, context: context).run()
                            }
                        case .refused(let firstAtLimit):
                            context.metrics.rejected(.agentGateway, .tooManyConnections)
                            if firstAtLimit {
                                context.logger.warning("refusing agent connections: the limit is reached", metadata: [
                                    "reason": "too_many_connections", "limit": "\(admission.limit)",
                                ])
                            }
                            // Through executeThenClose, which finishes the channel's writer: dropping it unfinished traps.
                            group.addTask { try? await connection.executeThenClose { _, _ in } }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            let registry = context.registry
            Task { await registry.disconnectAll(reason: "controller shutting down", retryAfterMilliseconds: 1_000) }
            server.channel.close(promise: nil)
        }
    }
}
