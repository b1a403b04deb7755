import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts markdown to a DingTalk custom robot (`https://oapi.dingtalk.com/robot/send?access_token=...`), signed
/// when the robot's security setting is "加签" (a `SEC...` secret): `&timestamp=<ms>&sign=<URL-encoded signature>`.
///
/// DingTalk answers HTTP 200 with `{"errcode": 0, "errmsg": "ok"}`; any other `errcode` (a bad sign, a missing
/// keyword, the 20-messages-a-minute limit) is a failed call with its `errmsg`. The URL carries the robot's token and
/// is never logged.
public struct DingTalkRobotClient: Sendable {
    let url: String
    let secret: String?
    let http: HTTPClient
    let health: ChatHealthMonitor?
    let timeout: TimeAmount
    let now: @Sendable () -> Date

    public init(
        url: String, secret: String?, http: HTTPClient = .shared, health: ChatHealthMonitor? = nil, timeout: TimeAmount = .seconds(15),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.url = url
        self.secret = secret
        self.http = http
        self.health = health
        self.timeout = timeout
        self.now = now
    }

    /// The URL to post to at `date`: the configured one, plus `timestamp` and `sign` when there is a secret.
    func signedURL(at date: Date) -> String {
        guard let secret else { return url }
        let timestamp = String(Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
        let sign = DingTalkSignature.sign(timestampMs: timestamp, secret: secret)
        let separator = url.contains("?") ? "&" : "?"
        return "\(url)\(separator)timestamp=\(timestamp)&sign=\(Self.queryEncoded(sign))"
    }

    /// Sends one markdown message; `title` is what the notification preview shows.
    public func send(title: String, markdown: String) async throws {
        let payload = Payload(markdown: .init(title: title, text: markdown))
        var request = HTTPClientRequest(url: signedURL(at: now()))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(payload)))
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            bytes = try await response.body.collect(upTo: 64 * 1024)
        } catch {
            await health?.callFailed("the DingTalk robot is unreachable: \(type(of: error))")
            throw DingTalkError(.transport, "the DingTalk robot is unreachable")
        }
        guard response.status.code == 200 else {
            await health?.callFailed("the DingTalk robot answered HTTP \(response.status.code)")
            throw DingTalkError(.transport, "the DingTalk robot answered HTTP \(response.status.code)")
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(bytes.readableBytesView)) else {
            await health?.callFailed("the DingTalk robot's answer is not {errcode, errmsg}")
            throw DingTalkError(.malformedResponse, "the DingTalk robot's answer is not {errcode, errmsg}")
        }
        guard answer.errcode == 0 else {
            let reason = "errcode \(answer.errcode): \(answer.errmsg ?? "")"
            await health?.callFailed("the DingTalk robot refused the message (\(reason))")
            throw DingTalkError(.apiError, reason)
        }
        await health?.callSucceeded()
    }

    /// Percent-encodes everything but unreserved characters, so Base64's `+`, `/` and `=` survive the query string.
    static func queryEncoded(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    struct Payload: Encodable {
        struct Markdown: Encodable {
            var title: String
            var text: String
        }

        var msgtype = "markdown"
        var markdown: Markdown
    }

    struct Answer: Decodable {
        var errcode: Int
        var errmsg: String?
    }
}
