import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on 127.0.0.1 between agents and the controller that can black-hole what agents send
/// (`blackHoleUpstream`) and cut every connection (`cutAll`), to put a network fault exactly where a
/// test wants it. TLS passes through untouched.
final class FaultProxy: Sendable {
    private final class Shared: Sendable {
        let mutex = Mutex(State())
    }

    private struct State {
        var upstreamPort: Int?
        var blackHole = false
        var connections: [any Channel] = []
        var swallowed = 0
    }

    private let state = Shared()
    private let server: any Channel
    let port: Int

    init() async throws {
        let state = self.state
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                guard let port = state.mutex.withLock({ $0.upstreamPort }) else {
                    return inbound.close()
                }
                return ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: "127.0.0.1", port: port)
                    .flatMap { outbound in
                        state.mutex.withLock { $0.connections += [inbound, outbound] }
                        return inbound.pipeline.addHandler(Relay(partner: outbound, upstream: true, state: state)).flatMap {
                            outbound.pipeline.addHandler(Relay(partner: inbound, upstream: false, state: state))
                        }
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.server = server
        port = server.localAddress?.port ?? 0
    }

    var address: String { "127.0.0.1:\(port)" }

    /// Where accepted connections are forwarded.
    func forward(to port: Int) { state.mutex.withLock { $0.upstreamPort = port } }

    /// From now on, bytes from agents vanish (the controller never sees them); bytes to agents still flow.
    func blackHoleUpstream(_ on: Bool) { state.mutex.withLock { $0.blackHole = on } }

    /// Bytes from agents swallowed so far.
    var swallowedBytes: Int { state.mutex.withLock { $0.swallowed } }

    /// Closes every proxied connection, dropping whatever was swallowed.
    func cutAll() async {
        let channels = state.mutex.withLock { state -> [any Channel] in
            defer { state.connections = [] }
            return state.connections
        }
        for channel in channels { try? await channel.close() }
    }

    func close() async {
        await cutAll()
        try? await server.close()
    }

    /// Copies bytes one way, and closes the other side when its own side closes.
    private final class Relay: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let partner: any Channel
        let upstream: Bool
        let state: Shared

        init(partner: any Channel, upstream: Bool, state: Shared) {
            self.partner = partner
            self.upstream = upstream
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            if upstream {
                let swallow = state.mutex.withLock { state -> Bool in
                    if state.blackHole { state.swallowed += buffer.readableBytes }
                    return state.blackHole
                }
                if swallow { return }
            }
            partner.writeAndFlush(buffer, promise: nil)
        }

        // The agent side starts with autoRead off (nothing may be read before the controller side is
        // connected): reads are asked for by hand, once active and after each batch.
        func handlerAdded(context: ChannelHandlerContext) {
            if context.channel.isActive { context.read() }
        }

        func channelActive(context: ChannelHandlerContext) {
            context.read()
            context.fireChannelActive()
        }

        func channelReadComplete(context: ChannelHandlerContext) {
            context.read()
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
