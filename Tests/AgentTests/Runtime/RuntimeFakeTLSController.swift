import Foundation
import NIOCore
import NIOPosix
import NIOSSL

@testable import StewardAgent
import StewardProtocol

/// A TLS (or, with a nil configuration, plaintext) server on 127.0.0.1 that hands each accepted
/// connection, as a message channel, to `serve`. It stands in for the controller's agent gateway
/// in loopback tests.
final class RuntimeFakeTLSController: Sendable {
    typealias Connection = NIOAsyncChannel<StewardMessage, StewardMessage>

    let port: Int
    private let server: NIOAsyncChannel<Connection, Never>
    private let serving: Task<Void, Never>

    init(configuration: TLSConfiguration?, serve: @escaping @Sendable (Connection) async throws -> Void) async throws {
        let context = try configuration.map { try NIOSSLContext(configuration: $0) }
        server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let context { try pipeline.addHandler(NIOSSLServerHandler(context: context)) }
                    try pipeline.addHandler(ByteToMessageHandler(StewardMessageDecoder()))
                    try pipeline.addHandler(MessageToByteHandler(StewardMessageEncoder()))
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        port = server.channel.localAddress?.port ?? 0
        let server = self.server
        serving = Task {
            try? await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask { try? await serve(connection) }
                    }
                }
            }
        }
    }

    var address: String { "127.0.0.1:\(port)" }

    /// A plaintext client channel to this server (for tests of the session logic alone).
    func connectPlain() async throws -> ControllerChannel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(ByteToMessageHandler(StewardMessageDecoder()))
                    try pipeline.addHandler(MessageToByteHandler(StewardMessageEncoder()))
                    return try ControllerChannel(wrappingChannelSynchronously: channel)
                }
            }
    }

    func stop() async {
        try? await server.channel.close()
        serving.cancel()
        await serving.value
    }
}
