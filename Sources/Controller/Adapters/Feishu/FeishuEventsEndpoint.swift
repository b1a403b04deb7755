import Crypto
import Foundation
import Hummingbird
import Logging

/// The event subscription request URL (`POST /feishu/NAME`): Feishu's signature and verification token are
/// its only authentication.
///
/// Order matters: size cap, then the signature over the raw bytes (when an encrypt key is configured), then
/// decryption and JSON, then the verification token (when configured). Feishu signs events but, as its SDKs
/// show, not necessarily the `url_verification` challenge; an unsigned request is answered only when it is
/// that challenge, encrypted with our key when we have one, carrying our token when we have one. Events are
/// acknowledged with 200 at once (Feishu wants an answer within 3 s) and their commands handed to `handler`;
/// redeliveries are handed on too, and the engine's durable `event_id` de-duplication runs them once.
struct FeishuEventsEndpoint: Sendable {
    /// Feishu events are a few kilobytes.
    static let maxBodyBytes = 1 << 20

    /// `feishu` or `lark`.
    let platform: String
    let encryptKey: String?
    let verificationToken: String?
    /// The bot's `open_id` once `bot/v3/info` has told us; group messages are refused with 503 until then.
    let botOpenID: @Sendable () -> String?
    let health: ChatHealthMonitor
    let logger: Logger
    let metrics: ControllerMetrics
    let now: @Sendable () -> Date
    /// Takes a command for the engine and returns at once; false when it cannot take more (503, Feishu retries).
    let handler: @Sendable (ChatMessage) -> Bool

    func register(on router: Router<APIRequestContext>, path: String) {
        router.post(RouterPath(path)) { request, _ -> Response in
            try await answer(request)
        }
    }

    func answer(_ request: Request) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: Self.maxBodyBytes).readableBytesView)
        let header = { (name: String) in request.headers.first { $0.name.canonicalName == name }?.value }
        let signature = header(FeishuSignature.signatureHeader)
        var signed = false
        if let encryptKey, signature != nil || header(FeishuSignature.timestampHeader) != nil {
            do {
                try FeishuSignature.verify(
                    body: body, timestamp: header(FeishuSignature.timestampHeader), nonce: header(FeishuSignature.nonceHeader),
                    signature: signature, encryptKey: encryptKey, now: now())
                signed = true
            } catch {
                throw await rejected(error)
            }
        }
        let mustBeChallenge = encryptKey != nil && !signed
        let envelope: FeishuEventEnvelope
        let wasEncrypted: Bool
        do {
            (envelope, wasEncrypted) = try open(body)
        } catch {
            if mustBeChallenge { throw await rejected(FeishuError(.missingHeader, "an unsigned request that is not a url_verification")) }
            throw HTTPError(.badRequest, message: error.message)
        }
        if mustBeChallenge, envelope.type != "url_verification" || !wasEncrypted {
            throw await rejected(FeishuError(.missingHeader, "an unsigned request that is not an encrypted url_verification"))
        }
        if let verificationToken {
            guard let given = envelope.verificationToken, Self.constantTimeEqual(given, verificationToken) else {
                throw await rejected(FeishuError(.tokenMismatch, "the verification token is not this app's"))
            }
        }
        if envelope.type == "url_verification" {
            guard let challenge = envelope.challenge, !challenge.isEmpty, challenge.utf8.count <= 1024 else {
                throw HTTPError(.badRequest, message: "url_verification without a challenge")
            }
            return try Self.json(["challenge": challenge])
        }
        guard envelope.schema == "2.0", let eventHeader = envelope.header else {
            logger.debug("ignored a Feishu v1 event", metadata: ["chat.platform": "\(platform)"])
            return try Self.json([String: String]())
        }
        await health.eventReceived()
        if let event = envelope.message {
            switch event.disposition(platform: platform, eventID: eventHeader.eventID ?? "", botOpenID: botOpenID()) {
            case .command(let message):
                guard handler(message) else {
                    // Not acknowledged, so Feishu delivers it again later rather than losing it.
                    throw HTTPError(.serviceUnavailable, message: "too many Feishu events queued")
                }
            case .needsBotIdentity:
                throw HTTPError(.serviceUnavailable, message: "the Feishu connection is still starting")
            case .ignored(let reason):
                logger.debug("ignored a Feishu message", metadata: ["chat.platform": "\(platform)", "reason": "\(reason)"])
            }
        }
        return try Self.json([String: String]())
    }

    /// The body as an envelope, decrypted when it is `{"encrypt": ...}`, and whether it was.
    func open(_ body: [UInt8]) throws(FeishuError) -> (FeishuEventEnvelope, encrypted: Bool) {
        let outer = try FeishuEventEnvelope.parse(body)
        guard let encrypted = outer.encrypt else { return (outer, false) }
        guard let encryptKey else {
            throw FeishuError(.undecryptable, "an encrypted event, but this connection has no encrypt_key")
        }
        return (try FeishuEventEnvelope.parse(try FeishuCipher(encryptKey: encryptKey).decrypt(encrypted)), true)
    }

    private func rejected(_ error: Error) async -> HTTPError {
        await health.requestRejected()
        let code = (error as? FeishuError)?.code.description ?? "\(error)"
        logger.warning("rejected a Feishu events request", metadata: ["chat.platform": "\(platform)", "error": "\(code)"])
        metrics.rejected(.feishuFamily(platform), RejectionReason(feishu: (error as? FeishuError)?.code))
        return HTTPError(.unauthorized, message: "unauthenticated Feishu request")
    }

    /// Equal in time independent of where the strings differ (and of their lengths): digests compared in constant time.
    static func constantTimeEqual(_ given: String, _ expected: String) -> Bool {
        SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(expected.utf8))
    }

    static func json(_ object: [String: String]) throws -> Response {
        let data = try JSONEncoder().encode(object)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
