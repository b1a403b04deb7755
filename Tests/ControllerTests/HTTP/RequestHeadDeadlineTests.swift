import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import StewardController

/// The API drops a client that does not finish its first request head in time (slowloris).
@Suite("Request head deadline", .timeLimit(.minutes(1)))
struct RequestHeadDeadlineTests {
    @Test(arguments: [
        (["GET / HTTP/1.1\r\nHost: x\r\n\r\n"], true),
        (["GET / HTTP/1.1\r\nHo", "st: x\r", "\n\r", "\n"], true),
        (["GET / HTTP/1.1\nHost: x\n\n"], true),
        (["GET / HTTP/1.1\r\nHost: x\r\n"], false),
        (["GET / HTTP/1.1\r\nHost: x\r\n\r"], false),
        (["GET / HTTP/1.1\r\n", "Host: x\r\n", "X: y\r\n"], false),
    ])
    func findsTheBlankLineThatEndsAHead(pieces: [String], complete: Bool) {
        var lineFeeds = 0
        var found = false
        for piece in pieces where !found {
            found = RequestHeadDeadlineHandler.scan(ByteBuffer(string: piece).readableBytesView, lineFeeds: &lineFeeds)
        }
        #expect(found == complete)
    }

    /// What a raw client saw: the bytes, and when the server closed.
    final class Received: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = Mutex<[UInt8]>([])
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLock { $0 += buffer.readableBytesView }
        }
        var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
    }

    private func connect(_ port: Int, _ received: Received) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(received) }
            .connect(host: "127.0.0.1", port: port).get()
    }

    @Test func aTrickledHeadIsClosedAtTheTimeoutAndACompleteOneIsAnswered() async throws {
        let api = try await APIHarness.make()
        defer { api.cleanUp() }
        let app = Application(
            router: api.router(), server: JobLiveSocket(database: api.database).serverBuilder(headerTimeout: .milliseconds(600)), logger: APIHarness.quietLogger)
        try await app.test(.live) { client in
            let port = try #require(client.port)

            let slow = Received()
            // Timed from before the connect, so the server's timer (started at accept) cannot have started earlier.
            let opened = ContinuousClock.now
            let trickling = try await connect(port, slow)
            for byte in "GET /healthz HTTP/1.1\r\nHost: x".utf8 {
                guard trickling.isActive else { break }
                try? await trickling.writeAndFlush(ByteBuffer(bytes: [byte])).get()
                try await Task.sleep(for: .milliseconds(100))
            }
            try await trickling.closeFuture.get()
            let lifetime = opened.duration(to: .now)
            #expect(lifetime >= .milliseconds(600) && lifetime < .seconds(10), "closed after \(lifetime)")
            #expect(slow.text.isEmpty, "no answer to a head that never finished")

            let fast = Received()
            let complete = try await connect(port, fast)
            try await complete.writeAndFlush(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).get()
            // Answered, then the idle kept-alive connection is closed by the same timeout.
            try await complete.closeFuture.get()
            #expect(fast.text.hasPrefix("HTTP/1.1 200"), "\(fast.text.prefix(100))")
        }
    }
}
