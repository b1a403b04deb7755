import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Replies to one DingTalk conversation through its session webhook, as markdown.
struct DingTalkSessionAdapter: ChatAdapter {
    let sessionWebhook: String?
    let health: ChatHealthMonitor
    let logger: Logger

    var platform: String { "dingtalk" }

    var capabilities: ChatCapabilities {
        ChatCapabilities(supportsEdits: false, supportsThreads: false, maxMessageLength: DingTalkConnection.maxMessageLength)
    }

    func post(_ reply: ChatReply, room: String, thread: String?) async throws -> PostedMessage {
        guard let sessionWebhook else {
            logger.debug("DingTalk reply dropped: no session webhook", metadata: ["chat.room": "\(room)"])
            return PostedMessage(room: room, thread: nil, messageID: "")
        }
        let payload: [String: Any] = ["msgtype": "markdown", "markdown": ["title": "steward", "text": reply.markdown]]
        var request = HTTPClientRequest(url: sessionWebhook)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: payload)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        let bytes = try await response.body.collect(upTo: 64 * 1024)
        // DingTalk answers 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a failure.
        let answer = try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any]
        guard response.status.code == 200, (answer?["errcode"] as? Int) == 0 else {
            let reason = "sessionWebhook answered \(response.status.code) \(answer?["errmsg"] as? String ?? "")"
            await health.callFailed(reason)
            throw WebhookError(.delivery, reason)
        }
        await health.callSucceeded()
        return PostedMessage(room: room, thread: nil, messageID: "")
    }

    func edit(_ message: PostedMessage, with reply: ChatReply) async throws {
        _ = try await post(reply, room: message.room, thread: message.thread)
    }
}
