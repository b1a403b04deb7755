import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import StewardController

/// A fake Matrix homeserver on 127.0.0.1 (port 0) answering the client-server calls the adapter makes, as the
/// spec documents them: it records every request (raw path, query, body), serves scripted `/sync` answers in
/// order, remembers transaction ids like a real server (a repeated `txnId` returns the first event id), and can
/// answer 429 `M_LIMIT_EXCEEDED` or 401 `M_UNKNOWN_TOKEN` on demand.
actor FakeMatrixHomeserver {
    struct Recorded: Sendable {
        var method: String
        var path: String
        var query: [String: String]
        var authorization: String?
        var body: [String: Any] { (try? JSONSerialization.jsonObject(with: rawBody)) as? [String: Any] ?? [:] }
        var rawBody: Data
    }

    static let token = "syt_test_token"
    static let bot = "@steward:example.org"

    private(set) var requests: [Recorded] = []
    private var syncAnswers: [String] = []
    private var rateLimitedSends = 0
    private var retryAfterMs = 1500
    private var acceptedToken = FakeMatrixHomeserver.token
    private var unreachable = false
    private var transactions: [String: String] = [:]
    private var nextEvent = 0
    private var lastBatch = "s0"

    /// Queues `/sync` answers (JSON), served one per request in order; afterwards an empty batch.
    func queueSync(_ answers: String...) { syncAnswers += answers }
    /// The next `count` sends get 429 with `retry_after_ms`.
    func rateLimitSends(times count: Int, retryAfterMs: Int) {
        rateLimitedSends = count
        self.retryAfterMs = retryAfterMs
    }
    /// From now on only `token` is accepted (the bot's token was revoked when it differs).
    func acceptToken(_ token: String) { acceptedToken = token }
    /// While true, every request gets a proxy's HTML 502 (the homeserver behind it is down).
    func setUnreachable(_ value: Bool) { unreachable = value }

    var sends: [Recorded] { requests.filter { $0.method == "PUT" && $0.path.contains("/send/") } }
    var syncs: [Recorded] { requests.filter { $0.path == "/_matrix/client/v3/sync" } }

    func answer(_ request: Recorded) async -> Response {
        requests.append(request)
        if unreachable {
            return Response(status: .badGateway, headers: [.contentType: "text/html"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "<html><body>502 Bad Gateway</body></html>")))
        }
        guard request.authorization == "Bearer \(acceptedToken)" else {
            return Self.json(#"{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed.","soft_logout":false}"#, status: .unauthorized)
        }
        let path = request.path
        switch (request.method, path) {
        case ("GET", "/_matrix/client/v3/account/whoami"):
            return Self.json(#"{"user_id":"\#(Self.bot)","device_id":"DEV"}"#)
        case ("GET", "/_matrix/client/v3/joined_rooms"):
            return Self.json(#"{"joined_rooms":["!abc:example.org"]}"#)
        case ("GET", "/_matrix/client/v3/sync"):
            if syncAnswers.isEmpty {
                // A long-poll that times out quickly with nothing new.
                try? await Task.sleep(for: .milliseconds(20))
                return Self.json(#"{"next_batch":"\#(lastBatch)"}"#)
            }
            let answer = syncAnswers.removeFirst()
            if let data = answer.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let batch = object["next_batch"] as? String {
                lastBatch = batch
            }
            return Self.json(answer)
        default:
            break
        }
        if request.method == "GET", path.hasPrefix("/_matrix/client/v3/profile/") {
            return Self.json(#"{"displayname":"Steward Bot"}"#)
        }
        if request.method == "GET", path.contains("/account_data/") {
            return Self.json(#"{"errcode":"M_NOT_FOUND","error":"Account data not found"}"#, status: .notFound)
        }
        if request.method == "PUT", path.contains("/account_data/") { return Self.json("{}") }
        if request.method == "POST", path.hasPrefix("/_matrix/client/v3/join/") {
            return Self.json(#"{"room_id":"joined"}"#)
        }
        if request.method == "PUT", path.contains("/send/") {
            if rateLimitedSends > 0 {
                rateLimitedSends -= 1
                return Self.json(#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":\#(retryAfterMs)}"#,
                                 status: .tooManyRequests)
            }
            if let known = transactions[path] { return Self.json(#"{"event_id":"\#(known)"}"#) }
            nextEvent += 1
            let eventID = "$event\(nextEvent)"
            transactions[path] = eventID
            return Self.json(#"{"event_id":"\#(eventID)"}"#)
        }
        return Self.json(#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#, status: .notFound)
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Runs `body` with the fake listening; the URL is the homeserver base (`http://127.0.0.1:PORT`).
    static func withServer(_ body: @Sendable (FakeMatrixHomeserver, String) async throws -> Void) async throws {
        let fake = FakeMatrixHomeserver()
        let router = Router()
        let handler: @Sendable (Hummingbird.Request, BasicRequestContext) async throws -> Response = { request, _ in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
            return await fake.answer(FakeMatrixHomeserver.Recorded(
                method: request.method.rawValue, path: request.uri.path, query: query, authorization: request.headers[.authorization],
                rawBody: Data(bytes.readableBytesView)))
        }
        router.get("**", use: handler)
        router.put("**", use: handler)
        router.post("**", use: handler)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: Logger(label: "test.fake-matrix", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            guard let port = client.port else { throw MatrixError(.transport, "the fake homeserver has no port") }
            try await body(fake, "http://127.0.0.1:\(port)")
        }
    }
}
