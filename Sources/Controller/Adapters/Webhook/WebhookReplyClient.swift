import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts replies and notifications to an incoming-webhook URL (Slack, Mattermost, Rocket.Chat, Teams-style
/// `{"text": ...}` JSON), honouring one HTTP 429 `Retry-After` of at most 30 s.
///
/// The URL usually carries its own secret (Slack's `hooks.slack.com/services/T/B/XXXX`), so it is never logged.
public struct WebhookReplyClient: Sendable {
    let url: String
    let http: HTTPClient
    let health: ChatHealthMonitor?
    /// Per attempt; async-http-client keeps retrying a refused connection until then.
    let timeout: TimeAmount

    public init(url: String, http: HTTPClient = .shared, health: ChatHealthMonitor? = nil, timeout: TimeAmount = .seconds(15)) {
        self.url = url
        self.http = http
        self.health = health
        self.timeout = timeout
    }

    public func send(text: String) async throws {
        let body = try JSONEncoder().encode(["text": text])
        for attempt in 0..<2 {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: body))
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: timeout)
                _ = try await response.body.collect(upTo: 64 * 1024)
            } catch {
                await health?.callFailed("the reply webhook is unreachable: \(type(of: error))")
                throw WebhookError(.delivery, "the reply webhook is unreachable")
            }
            if response.status.code == 429, attempt == 0,
               let seconds = response.headers.first(name: "Retry-After").flatMap({ Int($0) }), (0...30).contains(seconds) {
                try await Task.sleep(for: .seconds(seconds))
                continue
            }
            guard (200..<300).contains(response.status.code) else {
                await health?.callFailed("the reply webhook answered HTTP \(response.status.code)")
                throw WebhookError(.delivery, "the reply webhook answered HTTP \(response.status.code)")
            }
            await health?.callSucceeded()
            return
        }
    }
}
