import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOSSL
import StewardProtocol

/// An IRC network connection from `controller.yaml` (see ``IRCSettings`` for the entry).
///
/// `run` keeps one session up at a time: connect (TLS verified), register (SASL PLAIN when configured),
/// join the channels, hand addressed messages to the engine through a ``ChatInbox``, and after any loss
/// reconnect with full-jitter backoff (at least 30 s after refused credentials, so a wrong password does
/// not hammer the network). Replies wait in an ``IRCOutbox`` that outlives each session.
public struct IRCConnection: ChatConnection {
    /// After refused credentials, wait at least this long before trying again.
    static let authenticationRetryFloor: Int64 = 30_000

    public let settings: IRCSettings
    public let health: ChatHealthMonitor
    let adapter: IRCAdapter
    let outbox: IRCOutbox
    let tlsContext: NIOSSLContext?
    let logger: Logger

    public var name: String { settings.name }

    /// Reads a `platform: irc` entry.
    public init(_ entry: ChatConnectionSettings, logger: Logger) throws(ChatSettingsError) {
        let settings = try IRCSettings.read(entry)
        do {
            try self.init(settings: settings, logger: logger)
        } catch {
            throw entry.error(.invalidValue, settings.caFile == nil ? "tls" : "ca_file", "cannot set up TLS: \(error)")
        }
    }

    public init(settings: IRCSettings, logger: Logger) throws {
        self.settings = settings
        self.health = ChatHealthMonitor(name: settings.name, platform: "irc")
        self.outbox = IRCOutbox()
        self.adapter = IRCAdapter(outbox: outbox, maxLines: settings.maxLinesPerReply)
        self.tlsContext = try settings.makeTLSContext()
        self.logger = logger
    }

    public func run(engine: ChatEngine) async {
        let inbox = ChatInbox()
        await withDiscardingTaskGroup { group in
            group.addTask { await inbox.run(engine: engine, adapter: adapter) }
            await keepConnected(inbox: inbox)
            inbox.finish()
        }
    }

    /// One session after another until cancelled.
    func keepConnected(inbox: ChatInbox) async {
        var backoff = ReconnectBackoff()
        let metadata: Logger.Metadata = ["chat.connection": "\(name)", "irc.server": "\(settings.endpoint)"]
        while !Task.isCancelled {
            let readyAt = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
            var floor: Int64 = 0
            do {
                switch try await session(inbox: inbox, readyAt: readyAt).run() {
                case .closed(let reason):
                    await health.disconnected(reason)
                    logger.warning("IRC connection closed", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
                case .authenticationFailed(let reason):
                    await health.disconnected(reason)
                    await health.authFailed(reason)
                    floor = Self.authenticationRetryFloor
                    logger.error("IRC server refused our credentials", metadata: metadata.merging(["reason": "\(reason)"]) { $1 })
                }
            } catch is CancellationError {
                break
            } catch {
                await health.disconnected("\(error)")
                logger.warning("IRC connection failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
            if Task.isCancelled { break }
            if let readyAt = readyAt.withLockedValue({ $0 }), ContinuousClock.now - readyAt > .seconds(30) { backoff.reset() }
            try? await Task.sleep(for: .milliseconds(backoff.next(floorMilliseconds: floor)))
        }
        await health.disconnected("stopped")
    }

    private func session(inbox: ChatInbox, readyAt: NIOLockedValueBox<ContinuousClock.Instant?>) -> IRCSession {
        let health = self.health
        let logger = self.logger
        let settings = self.settings
        let events = IRCSessionEvents(
            ready: { nick in
                readyAt.withLockedValue { $0 = .now }
                await health.connected()
                logger.info("IRC connection ready", metadata: ["chat.connection": "\(settings.name)", "irc.nick": "\(nick)"])
            },
            problem: { text in
                await health.callFailed(text)
                logger.warning("IRC: \(text)", metadata: ["chat.connection": "\(settings.name)"])
            },
            deliver: { message, eventID in
                await health.eventReceived()
                guard let chat = IRCInbound.chatMessage(
                    message, configuredNick: settings.nick, names: settings.names, prefix: settings.prefix, eventID: eventID)
                else { return }
                if !inbox.deliver(chat) {
                    logger.warning("IRC: too many commands waiting; one was dropped", metadata: ["chat.connection": "\(settings.name)"])
                }
            })
        return IRCSession(
            settings: settings, tlsContext: tlsContext, outbox: outbox, events: events, logger: logger,
            epoch: StewardID.make(now: Date()))
    }
}
