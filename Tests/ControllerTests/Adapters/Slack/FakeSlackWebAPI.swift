import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import StewardController

/// A fake Slack Web API on 127.0.0.1 (port 0) answering `chat.postMessage` and `chat.update` as Slack documents
/// them, recording every call, and able to answer HTTP 429 with `Retry-After` or `"ok": false` on demand.
actor FakeSlackWebAPI {
    struct Call: Sendable {
        var method: String
        var authorization: String?
        var contentType: String?
        var body: [String: String]
    }

    private(set) var calls: [Call] = []
    private var rateLimitedAnswers = 0
    private var retryAfter = "1"
    private var failure: String?
    private var nextTS = 1_700_000_000

    /// The next `count` calls get HTTP 429 with `Retry-After: seconds`.
    func rateLimit(times count: Int, retryAfter seconds: String) {
        rateLimitedAnswers = count
        retryAfter = seconds
    }

    /// Every later call gets `{"ok": false, "error": error}`.
    func fail(with error: String) {
        failure = error
    }

    func answer(method: String, authorization: String?, contentType: String?, body: Data) -> Response {
        let fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        calls.append(Call(method: method, authorization: authorization, contentType: contentType,
                          body: fields.mapValues { "\($0)" }))
        if rateLimitedAnswers > 0 {
            rateLimitedAnswers -= 1
            return Self.json(#"{"ok":false,"error":"ratelimited"}"#, status: .tooManyRequests, retryAfter: retryAfter)
        }
        if let failure { return Self.json(#"{"ok":false,"error":"\#(failure)"}"#) }
        guard authorization == "Bearer \(FakeSlackWebAPI.token)" else { return Self.json(#"{"ok":false,"error":"invalid_auth"}"#) }
        let channel = fields["channel"] as? String ?? ""
        switch method {
        case "chat.postMessage":
            nextTS += 1
            return Self.json(#"{"ok":true,"channel":"\#(channel)","ts":"\#(nextTS).000100","message":{"text":"x"}}"#)
        case "auth.test":
            return Self.json(#"{"ok":true,"url":"https://example.slack.com/","team":"Example","user":"steward","team_id":"T1","user_id":"\#(Self.botUserID)"}"#)
        case "chat.update":
            let ts = fields["ts"] as? String ?? ""
            return Self.json(#"{"ok":true,"channel":"\#(channel)","ts":"\#(ts)","text":"x"}"#)
        default:
            return Self.json(#"{"ok":false,"error":"unknown_method"}"#)
        }
    }

    static let token = "xoxb-test-token"
    static let botUserID = "U0BOT0001"

    static func json(_ text: String, status: HTTPResponse.Status = .ok, retryAfter: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Runs `body` with the fake listening; the URL is the Web API base (`http://127.0.0.1:PORT/api/`).
    static func withServer(_ body: @Sendable (FakeSlackWebAPI, String) async throws -> Void) async throws {
        let fake = FakeSlackWebAPI()
        let router = Router()
        router.post("api/:method") { request, context -> Response in
            let method = try context.parameters.require("method")
            let bytes = try await request.body.collect(upTo: 1 << 20)
            return await fake.answer(
                method: method, authorization: request.headers[.authorization], contentType: request.headers[.contentType],
                body: Data(bytes.readableBytesView))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: Logger(label: "test.fake-slack", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            guard let port = client.port else { throw SlackError(.transport, "the fake Slack has no port") }
            try await body(fake, "http://127.0.0.1:\(port)/api/")
        }
    }
}

/// Records the waits the Web API client asks for instead of sleeping.
actor RecordedSleeps {
    private(set) var waits: [Duration] = []

    func sleep(_ duration: Duration) {
        waits.append(duration)
    }
}
