import Foundation
import Hummingbird
import NIOCore
import StewardProtocol

extension WebhookConnection {
    func answer(_ request: Request) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: WebhookPayload.maxBodyBytes).readableBytesView)
        switch settings.style {
        case .steward: return try await answerSigned(request, body: body)
        case .slack: return try await answerOutgoing(request, body: body)
        }
    }

    /// `X-Steward-Signature: v1=<hex>` over `v1:{timestamp}:{body}`; a delivery id makes redeliveries harmless.
    func answerSigned(_ request: Request, body: [UInt8]) async throws -> Response {
        do throws(RequestSignature.Failure) {
            try Self.signature.verify(
                body: body, timestamp: Self.header("x-steward-request-timestamp", in: request),
                signature: Self.header("x-steward-signature", in: request), secret: settings.secret, now: now())
        } catch {
            throw await refused(RejectionReason(error), "signature check failed: \(error)")
        }
        guard let delivery = Self.header("x-steward-delivery", in: request), WebhookPayload.isValidID(delivery) else {
            throw HTTPError(.badRequest, message: "X-Steward-Delivery must be 1-128 printable ASCII characters")
        }
        guard let command = try? JSONDecoder().decode(WebhookPayload.Command.self, from: Data(body)),
              !command.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            throw HTTPError(.badRequest, message: #"the body must be {"text": "<command>"}"#)
        }
        await health.eventReceived()
        let identity = settings.identity ?? settings.name
        let message = ChatMessage(
            platform: "webhook", room: settings.name, userID: identity, displayName: identity,
            text: command.text.trimmingCharacters(in: .whitespacesAndNewlines), eventID: "\(settings.name):\(delivery)", isDirect: true)
        guard inbox.deliver(message) else { throw HTTPError(.serviceUnavailable, message: "too many webhook commands queued") }
        return Self.json(#"{"accepted":true}"#, status: .accepted)
    }

    /// A Slack-compatible outgoing webhook: the token field is the secret; the answer is `{"text": ...}`.
    func answerOutgoing(_ request: Request, body: [UInt8]) async throws -> Response {
        let payload: WebhookPayload.Outgoing
        do {
            payload = try WebhookPayload.Outgoing.parse(body, contentType: Self.header("content-type", in: request))
        } catch let error as WebhookError where error.code == .unauthenticated {
            throw await refused(.unsigned, error.message)
        } catch let error as WebhookError {
            throw HTTPError(.badRequest, message: error.message)
        }
        guard ConstantTime.equals(Array(payload.token.utf8), Array(settings.secret.utf8)) else {
            throw await refused(.badToken, "the token does not match")
        }
        await health.eventReceived()
        let first = FirstReply()
        let message = ChatMessage(
            platform: "webhook", room: payload.channel, userID: "\(settings.name)/\(payload.userID)",
            displayName: payload.userName ?? payload.userID, text: payload.command,
            eventID: "\(settings.name):\(payload.channel):\(payload.timestamp)", isDirect: true)
        let adapter = WebhookReplyAdapter(first: first, reply: replyClient, logger: logger)
        guard inbox.deliver(message, via: adapter) else {
            throw HTTPError(.serviceUnavailable, message: "too many webhook commands queued")
        }
        guard let text = await first.wait(upTo: Self.syncReplyWindow) else { return Self.json("{}") }
        // `in_channel`: Mattermost and Slack slash commands would otherwise show the answer to the asker only.
        let encoded = try JSONEncoder().encode(["text": text, "response_type": "in_channel"])
        return Self.json(String(decoding: encoded, as: UTF8.self))
    }

    func refused(_ counted: RejectionReason, _ reason: String) async -> HTTPError {
        await health.requestRejected()
        logger.warning("rejected a webhook request", metadata: ["chat.connection": "\(settings.name)", "reason": "\(reason)"])
        metrics.rejected(.webhook, counted)
        return HTTPError(.unauthorized, message: "unauthenticated webhook request")
    }

    static func header(_ name: String, in request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
