import Crypto
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SwiftASN1
import X509
@testable import StewardController

/// A scripted IRC server on 127.0.0.1:0 (plain or TLS): each connection is handed to `script` as a
/// ``FakeIRCClient``, whose reads time out instead of hanging.
final class FakeIRCServer: Sendable {
    let channel: any Channel
    private let connections: Task<Void, Never>

    /// A self-signed certificate for `localhost` and 127.0.0.1, PEM and NIOSSL forms.
    struct Certificate: Sendable {
        let pem: String
        let certificate: NIOSSLCertificate
        let key: NIOSSLPrivateKey

        static func make() throws -> Certificate {
            let key = P256.Signing.PrivateKey()
            let name = try DistinguishedName { CommonName("localhost") }
            let now = Date()
            let certificate = try X509.Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: now - 300,
                notValidAfter: now + 3600, issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try X509.Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
                },
                issuerPrivateKey: .init(key))
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return Certificate(
                pem: try certificate.serializeAsPEM().pemString,
                certificate: try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der),
                key: try NIOSSLPrivateKey(bytes: Array(key.derRepresentation), format: .der))
        }

        func write(to path: String) throws {
            try pem.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// `tls`: serve TLS with this certificate. `script` runs once per connection.
    /// `silent`: no line decoding, for a script that never reads (a server that never answers a TLS hello).
    init(tls: Certificate? = nil, silent: Bool = false, script: @escaping @Sendable (FakeIRCClient) async throws -> Void) async throws {
        let context = try tls.map {
            try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: [.certificate($0.certificate)], privateKey: .privateKey($0.key)))
        }
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    if !silent { try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(IRCLineDecoder())) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        channel = server.channel
        connections = Task {
            await withDiscardingTaskGroup { group in
                do {
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            group.addTask {
                                try? await connection.executeThenClose { lines, writer in
                                    try await script(FakeIRCClient(lines: lines, writer: writer))
                                }
                            }
                        }
                    }
                } catch {}
                group.cancelAll()
            }
        }
    }

    var port: Int { channel.localAddress?.port ?? 0 }

    func stop() async {
        connections.cancel()
        try? await channel.close()
        await connections.value
    }
}

/// One client connection as the fake server sees it.
/// Used by one task at a time (the server's script), hence unchecked.
final class FakeIRCClient: @unchecked Sendable {
    private var lines: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// Every line the client sent, in order.
    private(set) var received: [String] = []

    init(lines: NIOAsyncChannelInboundStream<ByteBuffer>, writer: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.lines = lines.makeAsyncIterator()
        self.writer = writer
    }

    private func nextLine() async throws -> ByteBuffer? {
        try await lines.next()
    }

    /// The client's next line; fails after `timeout` or when the client closed.
    func read(timeout: Duration = .seconds(30)) async throws -> String {
        let line = try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask { try await self.nextLine().map { String(buffer: $0) } }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw FakeIRCError("no line from the client within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let line else { throw FakeIRCError("the client closed the connection") }
        received.append(line)
        return line
    }

    /// Reads until a line starting with `prefix`, returning it.
    @discardableResult
    func expect(_ prefix: String, timeout: Duration = .seconds(30)) async throws -> String {
        while true {
            let line = try await read(timeout: timeout)
            if line.hasPrefix(prefix) { return line }
        }
    }

    func send(_ lines: String...) async throws {
        for line in lines { try await writer.write(ByteBuffer(string: line + "\r\n")) }
    }

    /// Answers the usual registration (no capabilities) and the JOIN of each channel.
    func register(nick: String = "steward", channels: [String] = ["#ops"]) async throws {
        try await expect("CAP LS")
        try await send(":irc.test CAP * LS :multi-prefix")
        try await expect("CAP END")
        try await send(":irc.test 001 \(nick) :Welcome to the Internet Relay Network \(nick)!~\(nick)@127.0.0.1")
        for channel in channels {
            try await expect("JOIN \(channel)")
            try await send(":\(nick)!~\(nick)@127.0.0.1 JOIN \(channel)")
        }
    }
}

struct FakeIRCError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
