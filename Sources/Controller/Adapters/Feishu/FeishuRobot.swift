import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts text to a Feishu/Lark custom bot webhook (`https://open.feishu.cn/open-apis/bot/v2/hook/<token>`),
/// signed with ``FeishuWebhookSigner`` when the bot has a signing secret: outbound notifications only.
///
/// The URL carries the bot's token, so it is never logged. Feishu answers `{"code": 0, "msg": "success"}`
/// (older deployments `{"StatusCode": 0}`); any other code, such as 19021 for a bad signature, is an error.
public struct FeishuRobot: Sendable {
    let url: String
    let secret: String?
    let http: HTTPClient
    let timeout: TimeAmount
    let now: @Sendable () -> Date

    public init(
        url: String, secret: String?, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(15),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.url = url
        self.secret = secret
        self.http = http
        self.timeout = timeout
        self.now = now
    }

    public func send(text: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body(text: text))))
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            bytes = try await response.body.collect(upTo: 64 * 1024)
        } catch {
            throw FeishuError(.transport, "the Feishu bot webhook is unreachable")
        }
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(bytes.readableBytesView))
        guard let code = answer?.code ?? answer?.statusCode else {
            throw FeishuError(.transport, "the Feishu bot webhook answered HTTP \(response.status.code)")
        }
        guard code == 0 else {
            throw FeishuError(.apiError, "the Feishu bot webhook refused the message: \(answer?.msg ?? answer?.statusMessage ?? "") (code \(code))",
                              feishuCode: code)
        }
    }

    func body(text: String) -> Body {
        let timestamp = Int64(now().timeIntervalSince1970)
        return Body(
            timestamp: secret == nil ? nil : String(timestamp), sign: secret.map { FeishuWebhookSigner.sign(timestamp: timestamp, secret: $0) },
            content: .init(text: text))
    }

    struct Body: Encodable {
        var timestamp: String?
        var sign: String?
        var msgType = "text"
        var content: Content

        struct Content: Encodable {
            var text: String
        }

        enum CodingKeys: String, CodingKey {
            case timestamp, sign, content
            case msgType = "msg_type"
        }
    }

    struct Answer: Decodable {
        var code: Int?
        var msg: String?
        var statusCode: Int?
        var statusMessage: String?

        enum CodingKeys: String, CodingKey {
            case code, msg
            case statusCode = "StatusCode", statusMessage = "StatusMessage"
        }
    }
}
