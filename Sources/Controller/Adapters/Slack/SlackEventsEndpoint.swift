import Foundation
import Hummingbird
import Logging

/// The Events API request URL (`POST /slack/events`): the Slack signature is its only authentication.
///
/// Order matters: size cap, then signature on the raw bytes, then JSON. Verified `event_callback`s are
/// acknowledged with 200 at once and their messages handed to `handler`, which must not block (see
/// ``ChatInbox/deliver(_:via:)``). Retries (`X-Slack-Retry-Num`) are handed on too: the engine's event-id
/// dedupe is what makes them harmless, and it survives restarts where an in-memory check would not.
public struct SlackEventsEndpoint: Sendable {
    /// Largest body read; Slack events are a few kilobytes.
    public static let defaultMaxBodyBytes = 1 << 20

    let signingSecret: String
    /// Who the bot is; nil until `auth.test` has told us (events are then refused with 503, and Slack retries).
    let bot: @Sendable () -> SlackBotIdentity?
    let maxBodyBytes: Int
    let health: ChatHealthMonitor
    let logger: Logger
    let metrics: ControllerMetrics
    let now: @Sendable () -> Date
    let handler: @Sendable (ChatMessage) -> Bool

    /// - Parameter handler: takes a message for the engine and returns at once; false when it cannot take more (503).
    public init(
        signingSecret: String, bot: SlackBotIdentity, maxBodyBytes: Int = defaultMaxBodyBytes, health: ChatHealthMonitor,
        logger: Logger, metrics: ControllerMetrics = ControllerMetrics(), now: @escaping @Sendable () -> Date = { Date() },
        handler: @escaping @Sendable (ChatMessage) -> Bool
    ) {
        self.init(
            signingSecret: signingSecret, currentBot: { bot }, maxBodyBytes: maxBodyBytes, health: health, logger: logger,
            metrics: metrics, now: now, handler: handler)
    }

    /// - Parameter currentBot: the bot's identity once known (see ``SlackConnection``).
    public init(
        signingSecret: String, currentBot: @escaping @Sendable () -> SlackBotIdentity?, maxBodyBytes: Int = defaultMaxBodyBytes,
        health: ChatHealthMonitor, logger: Logger, metrics: ControllerMetrics = ControllerMetrics(),
        now: @escaping @Sendable () -> Date = { Date() }, handler: @escaping @Sendable (ChatMessage) -> Bool
    ) {
        self.signingSecret = signingSecret
        self.metrics = metrics
        self.bot = currentBot
        self.maxBodyBytes = maxBodyBytes
        self.health = health
        self.logger = logger
        self.now = now
        self.handler = handler
    }

    public func register(on router: Router<APIRequestContext>, path: String = "/slack/events") {
        router.post(RouterPath(path)) { request, _ -> Response in
            try await answer(request)
        }
    }

    func answer(_ request: Request) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: maxBodyBytes).readableBytesView)
        do {
            try SlackSignature.verify(
                body: body, timestamp: Self.header(Self.timestampHeader, in: request), signature: Self.header(Self.signatureHeader, in: request),
                secret: signingSecret, now: now())
        } catch let error as SlackError {
            await health.requestRejected()
            logger.warning("rejected a Slack events request", metadata: ["chat.platform": "slack", "error": "\(error.code)"])
            metrics.rejected(.slack, RejectionReason(slack: error.code))
            throw HTTPError(.unauthorized, message: error.message)
        }
        if Self.header("content-type", in: request)?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            return try await answerInteraction(body)
        }
        let envelope: SlackEventEnvelope
        do {
            envelope = try SlackEventEnvelope.parse(body)
        } catch let error as SlackError {
            throw HTTPError(.badRequest, message: error.message)
        }
        switch envelope.type {
        case "url_verification":
            guard let challenge = envelope.challenge, !challenge.isEmpty, challenge.utf8.count <= 1024 else {
                throw HTTPError(.badRequest, message: "url_verification without a challenge")
            }
            return Self.text(challenge)
        case "event_callback":
            guard let bot = bot() else {
                throw HTTPError(.serviceUnavailable, message: "the Slack connection is still starting")
            }
            await health.eventReceived()
            if let retry = Self.header(Self.retryHeader, in: request) {
                logger.debug("Slack retried an event", metadata: [
                    "chat.platform": "slack", "chat.event": "\(envelope.eventID ?? "?")", "slack.retry": "\(retry)",
                    "slack.retry_reason": "\(Self.header(Self.retryReasonHeader, in: request) ?? "?")",
                ])
            }
            if let message = envelope.chatMessage(bot: bot), !handler(message) {
                // Not acknowledged, so Slack delivers it again later rather than losing it.
                throw HTTPError(.serviceUnavailable, message: "too many Slack events queued")
            }
            return Self.text("")
        default:
            // Other envelope types (app_rate_limited, ...) need no answer beyond the acknowledgement.
            logger.debug("ignored a Slack envelope", metadata: ["chat.platform": "slack", "slack.type": "\(envelope.type)"])
            return Self.text("")
        }
    }

    /// A button press posted to the Interactivity Request URL (the same path): `payload=<JSON>`, already verified.
    func answerInteraction(_ body: [UInt8]) async throws -> Response {
        var components = URLComponents()
        components.percentEncodedQuery = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "+", with: "%20")
        guard let payload = components.queryItems?.first(where: { $0.name == "payload" })?.value,
              let interaction = try? JSONDecoder().decode(SlackInteraction.self, from: Data(payload.utf8))
        else {
            throw HTTPError(.badRequest, message: "an interactive request needs a payload")
        }
        await health.eventReceived()
        if let message = interaction.chatMessage, !handler(message) {
            throw HTTPError(.serviceUnavailable, message: "too many Slack events queued")
        }
        return Self.text("")
    }

    /// The first value of a header, by its lower-case name.
    static func header(_ name: String, in request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

    static func text(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static let signatureHeader = "x-slack-signature"
    static let timestampHeader = "x-slack-request-timestamp"
    static let retryHeader = "x-slack-retry-num"
    static let retryReasonHeader = "x-slack-retry-reason"
}
