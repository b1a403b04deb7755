import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import StewardProtocol
import Testing
@testable import StewardController

/// Shared pieces of the Rocket.Chat tests: a connection with short reconnect pacing, a running engine, a log recorder.
enum RocketChatTestSupport {
    static let policy = """
        identities:
          - {platform: rocketchat, user: \(FakeRocketChat.alice), roles: [operator]}
        roles:
          operator:
            rules: [{commands: [ping, metrics, agents], targets: all}]
        """

    static func connection(
        _ url: String, http: HTTPClient, token: String = FakeRocketChat.token, rooms: [String] = [], maxMessageLength: Int = 5000,
        logger: Logger = SlackEventsEndpointTests.quiet
    ) -> RocketChatConnection {
        let settings = RocketChatConnection.Settings(
            name: "rc", serverURL: url, userID: FakeRocketChat.botID, token: token, names: ["steward"], prefix: "!", rooms: rooms,
            maxMessageLength: maxMessageLength)
        var timing = RocketChatConnection.Timing()
        timing.reconnect = ReconnectBackoff(baseMilliseconds: 20, capMilliseconds: 100)
        timing.refused = ReconnectBackoff(baseMilliseconds: 50, capMilliseconds: 200)
        timing.handshakeTimeout = .seconds(5)
        return RocketChatConnection(settings: settings, http: http, logger: logger, timing: timing)
    }

    /// Runs the connection against an engine until `body` returns.
    static func running(
        _ connection: RocketChatConnection, harness: DispatcherHarness? = nil, _ body: () async throws -> Void
    ) async throws {
        let harness = if let harness { harness } else { try await DispatcherHarness(agents: []) }
        let engine = ChatEngine(
            database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: policy),
            progressInterval: .milliseconds(10), logger: SlackEventsEndpointTests.quiet)
        let task = Task { await connection.run(engine: engine) }
        do {
            try await body()
        } catch {
            task.cancel()
            await task.value
            throw error
        }
        task.cancel()
        await task.value
    }

    /// Runs the connection with a handler that records what reaches it, until `body` returns.
    static func recording(
        _ connection: RocketChatConnection, _ body: (Handed) async throws -> Void
    ) async throws {
        let handed = Handed()
        let task = Task { await connection.run { message, _ in handed.append(message) } }
        do {
            try await body(handed)
        } catch {
            task.cancel()
            await task.value
            throw error
        }
        task.cancel()
        await task.value
    }

    /// Messages a test handler received.
    final class Handed: Sendable {
        private let box = NIOLockedValueBox<[ChatMessage]>([])
        func append(_ message: ChatMessage) { box.withLockedValue { $0.append(message) } }
        var all: [ChatMessage] { box.withLockedValue { $0 } }
    }
}

/// Keeps every log entry, so tests can check what was logged and that no secret was.
final class RocketChatLogRecorder: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let box = NIOLockedValueBox<[Entry]>([])

    var entries: [Entry] { box.withLockedValue { $0 } }

    var logger: Logger {
        Logger(label: "test.rocketchat") { _ in Handler(recorder: self) }
    }

    func record(_ entry: Entry) { box.withLockedValue { $0.append(entry) } }

    struct Handler: LogHandler {
        let recorder: RocketChatLogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.record(Entry(level: event.level, message: event.message.description, metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
        }
    }
}
