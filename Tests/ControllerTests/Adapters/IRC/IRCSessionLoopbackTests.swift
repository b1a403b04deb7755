import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
@testable import StewardController

/// The NIO driver against a scripted server on loopback: TLS verification, SASL, replies on the wire,
/// and above all that no failure or cancellation leaves a session hanging.
@Suite(.serialized, .timeLimit(.minutes(2))) struct IRCSessionLoopbackTests {
    static let logger = Logger(label: "test.irc", factory: { _ in SwiftLogNoOpLogHandler() })

    /// What a session reported to its connection.
    final class Reports: Sendable {
        let ready = NIOLockedValueBox<[String]>([])
        let problems = NIOLockedValueBox<[String]>([])
        let delivered = NIOLockedValueBox<[(IRCIncomingMessage, String)]>([])

        var events: IRCSessionEvents {
            IRCSessionEvents(
                ready: { nick in self.ready.withLockedValue { $0.append(nick) } },
                problem: { text in self.problems.withLockedValue { $0.append(text) } },
                deliver: { message, id in self.delivered.withLockedValue { $0.append((message, id)) } })
        }
    }

    static func settings(
        port: Int, tls: Bool, caFile: String? = nil, sasl: IRCConnectionStateMachine.SASLCredentials? = nil,
        connectTimeout: Duration = .seconds(10), sendInterval: Duration = .zero
    ) -> IRCSettings {
        IRCSettings(
            name: "irc", host: "127.0.0.1", port: port, tls: tls, caFile: caFile, nick: "steward", username: "steward",
            realname: "Steward bot", serverPassword: nil, sasl: sasl, channels: ["#ops"], names: [], prefix: "!",
            sendInterval: sendInterval, sendBurst: 4, rejoinDelay: .seconds(1), connectTimeout: connectTimeout,
            registrationTimeout: .seconds(10), maxLinesPerReply: 30)
    }

    static func session(_ settings: IRCSettings, outbox: IRCOutbox = IRCOutbox(), reports: Reports = Reports()) throws -> IRCSession {
        IRCSession(
            settings: settings, tlsContext: try settings.makeTLSContext(), outbox: outbox, events: reports.events, logger: logger,
            epoch: "E1")
    }

    static func temporaryFile(_ name: String) -> String {
        NSTemporaryDirectory() + "steward-irc-\(UUID().uuidString)-\(name)"
    }

    @Test func saslOverVerifiedTLSThenMessagesBothWays() async throws {
        let certificate = try FakeIRCServer.Certificate.make()
        let caFile = Self.temporaryFile("ca.pem")
        try certificate.write(to: caFile)
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let seen = NIOLockedValueBox<[String]>([])
        let server = try await FakeIRCServer(tls: certificate) { client in
            try await client.expect("CAP LS 302")
            try await client.send(":irc.test CAP * LS :sasl=PLAIN account-tag")
            try await client.expect("CAP REQ :sasl account-tag")
            try await client.send(":irc.test CAP steward ACK :sasl account-tag")
            try await client.expect("AUTHENTICATE PLAIN")
            try await client.send("AUTHENTICATE +")
            let payload = try await client.expect("AUTHENTICATE ")
            seen.withLockedValue { $0.append(payload) }
            try await client.send(":irc.test 900 steward steward!~steward@127.0.0.1 steward :You are now logged in", ":irc.test 903 steward :SASL successful")
            try await client.expect("CAP END")
            try await client.send(":irc.test 001 steward :Welcome steward!~steward@127.0.0.1")
            try await client.expect("JOIN #ops")
            try await client.send(":steward!~steward@127.0.0.1 JOIN #ops")
            try await client.send("@account=alice :alice!~alice@127.0.0.1 PRIVMSG #ops :steward: whoami")
            let reply = try await client.expect("PRIVMSG")
            seen.withLockedValue { $0.append(reply) }
            try await client.send("ERROR :Closing link: bye")
        }
        let outbox = IRCOutbox()
        let reports = Reports()
        let session = try Self.session(
            Self.settings(port: server.port, tls: true, caFile: caFile, sasl: .init(user: "steward", password: "s3cret")),
            outbox: outbox, reports: reports)
        async let end = session.run()
        try await eventually { reports.delivered.withLockedValue { !$0.isEmpty } }
        try outbox.enqueue([IRCOutbox.Line(target: "#ops", text: "you are irc:alice", queuedAt: .now)])
        #expect(try await end == .closed(reason: "the server closed the link: Closing link: bye"))
        await server.stop()

        #expect(reports.ready.withLockedValue { $0 } == ["steward"])
        let delivered = reports.delivered.withLockedValue { $0 }
        #expect(delivered.map(\.0.account) == ["alice"])
        #expect(delivered.map(\.1) == ["E1.1"])
        let lines = seen.withLockedValue { $0 }
        #expect(lines == ["AUTHENTICATE " + Data("\0steward\0s3cret".utf8).base64EncodedString(), "PRIVMSG #ops :you are irc:alice"])
    }

    @Test func saslRefusalEndsTheSessionAsAnAuthenticationFailure() async throws {
        let server = try await FakeIRCServer { client in
            try await client.expect("CAP LS")
            try await client.send(":irc.test CAP * LS :sasl")
            try await client.expect("CAP REQ")
            try await client.send(":irc.test CAP * ACK :sasl")
            try await client.expect("AUTHENTICATE PLAIN")
            try await client.send("AUTHENTICATE +")
            try await client.expect("AUTHENTICATE ")
            try await client.send(":irc.test 904 steward :SASL authentication failed")
            _ = try? await client.read(timeout: .seconds(5))
        }
        let session = try Self.session(Self.settings(port: server.port, tls: false, sasl: .init(user: "steward", password: "wrong")))
        #expect(try await session.run() == .authenticationFailed("SASL PLAIN failed (904): SASL authentication failed"))
        await server.stop()
    }

    @Test func anUntrustedCertificateFailsTheHandshakeAtOnce() async throws {
        let server = try await FakeIRCServer(tls: try FakeIRCServer.Certificate.make()) { client in
            _ = try? await client.read(timeout: .seconds(30))
        }
        // The system roots (no ca_file) do not know the self-signed certificate; nor does another one.
        let otherCA = Self.temporaryFile("other.pem")
        try FakeIRCServer.Certificate.make().write(to: otherCA)
        defer { try? FileManager.default.removeItem(atPath: otherCA) }
        for caFile in [nil, otherCA] {
            let started = ContinuousClock.now
            let error = await #expect(throws: IRCError.self) {
                _ = try await Self.session(Self.settings(port: server.port, tls: true, caFile: caFile, connectTimeout: .seconds(30))).run()
            }
            #expect(error?.code == .tlsHandshakeFailed)
            #expect(error?.message.contains("CERTIFICATE_VERIFY_FAILED") == true, "\(String(describing: error))")
            #expect(ContinuousClock.now - started < .seconds(10))
        }
        await server.stop()
    }

    @Test func aServerThatNeverAnswersTheTLSHelloTimesOut() async throws {
        let server = try await FakeIRCServer(silent: true) { _ in try await Task.sleep(for: .seconds(30)) }
        let started = ContinuousClock.now
        let error = await #expect(throws: IRCError.self) {
            _ = try await Self.session(Self.settings(port: server.port, tls: true, connectTimeout: .seconds(1))).run()
        }
        #expect(error?.code == .tlsHandshakeFailed)
        #expect(error?.message.contains("no TLS handshake within 1000 ms") == true, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(10))
        await server.stop()
    }

    @Test func cancellingASessionStuckInTheHandshakeReturnsPromptly() async throws {
        let server = try await FakeIRCServer(silent: true) { _ in try await Task.sleep(for: .seconds(30)) }
        let session = try Self.session(Self.settings(port: server.port, tls: true, connectTimeout: .seconds(60)))
        let task = Task { try await session.run() }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        task.cancel()
        _ = await task.result
        #expect(ContinuousClock.now - started < .seconds(10))
        await server.stop()
    }

    @Test func cancellingARegisteredSessionSaysQuitAndReturnsPromptly() async throws {
        let quit = NIOLockedValueBox<String?>(nil)
        let server = try await FakeIRCServer { client in
            try await client.register()
            let line = try await client.expect("QUIT", timeout: .seconds(30))
            quit.withLockedValue { $0 = line }
        }
        let reports = Reports()
        let session = try Self.session(Self.settings(port: server.port, tls: false), reports: reports)
        let task = Task { try await session.run() }
        try await eventually { reports.ready.withLockedValue { !$0.isEmpty } }
        let started = ContinuousClock.now
        task.cancel()
        _ = await task.result
        #expect(ContinuousClock.now - started < .seconds(10))
        try await eventually { quit.withLockedValue { $0 } != nil }
        #expect(quit.withLockedValue { $0 } == "QUIT :shutting down")
        await server.stop()
    }

    @Test func aRefusedConnectionFailsFast() async throws {
        let server = try await FakeIRCServer { _ in }
        let port = server.port
        await server.stop()
        let error = await #expect(throws: IRCError.self) {
            _ = try await Self.session(Self.settings(port: port, tls: false)).run()
        }
        #expect(error?.code == .connectFailed)
    }

    @Test func longRepliesAreCutToFitWhatTheServerRelays() async throws {
        let received = NIOLockedValueBox<[String]>([])
        let text = String(repeating: "ab€😀 日本語 ", count: 120)
        let server = try await FakeIRCServer { client in
            try await client.register()
            var total = 0
            while total < text.utf8.count {
                let line = try await client.expect("PRIVMSG #ops ")
                received.withLockedValue { $0.append(line) }
                total += try IRCMessage.parse(Array(line.utf8)).parameters[1].utf8.count
            }
            try await client.send("ERROR :done")
        }
        let outbox = IRCOutbox()
        try outbox.enqueue([IRCOutbox.Line(target: "#ops", text: text, queuedAt: .now)])
        #expect(try await Self.session(Self.settings(port: server.port, tls: false, sendInterval: .milliseconds(5)), outbox: outbox).run()
            == .closed(reason: "the server closed the link: done"))
        await server.stop()
        let lines = received.withLockedValue { $0 }
        #expect(lines.count > 1)
        let source = "steward!~steward@127.0.0.1"
        for line in lines {
            // As relayed to other members: ":steward!~steward@127.0.0.1 " + line + CRLF.
            #expect(1 + source.utf8.count + 1 + line.utf8.count + 2 <= 512)
        }
        #expect(try lines.map { try IRCMessage.parse(Array($0.utf8)).parameters[1] }.joined() == text)
    }
}
