import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
@testable import StewardController

/// A fake Feishu open API on 127.0.0.1 (port 0), answering as Feishu documents: the tenant token, the bot's
/// info, text replies, sends and edits (`{"code": 0, "msg": "success", "data": {...}}`), and, on demand,
/// refused credentials, revoked tokens, rate limits and refused edits. Every call is recorded.
actor FakeFeishu {
    static let appID = "cli_a1b2c3d4e5f6a7b8"
    static let appSecret = "fake-app-secret-0123456789"
    static let botOpenID = "ou_bot7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b"

    struct Call: Sendable {
        var method: String
        var path: String
        var query: String?
        var authorization: String?
        /// Top-level fields of the JSON body, as strings.
        var body: [String: String]
        /// For messages: the `text` inside `content`.
        var text: String?
    }

    private(set) var calls: [Call] = []
    /// Current text of each message the bot sent, by id.
    private(set) var messages: [String: String] = [:]
    /// Edits each message took.
    private(set) var editCounts: [String: Int] = [:]
    private var validTokens: Set<String> = []
    private var issued = 0
    private var nextMessage = 0
    private var expire = 7200
    private var rateLimitedAnswers = 0
    private var refuseEdits = false
    /// Feishu allows 20 edits of a message.
    private let editLimit = 20

    /// The token endpoint issues tokens with this lifetime (seconds).
    func setExpire(_ seconds: Int) { expire = seconds }

    /// Every token issued so far stops working (the API answers 99991663).
    func revokeTokens() { validTokens.removeAll() }

    /// The next `count` calls get HTTP 429 with a reset of one second.
    func rateLimit(times count: Int) { rateLimitedAnswers = count }

    /// Every later edit is refused (as past the tenant's edit window).
    func refuseAllEdits() { refuseEdits = true }

    var tokensIssued: Int { issued }

    var replies: [Call] { calls.filter { $0.method == "POST" && $0.path.hasSuffix("/reply") } }
    var sends: [Call] { calls.filter { $0.method == "POST" && $0.path == "/open-apis/im/v1/messages" } }
    var edits: [Call] { calls.filter { $0.method == "PUT" } }
    var tokenRequests: Int { calls.filter { $0.path == "/open-apis/auth/v3/tenant_access_token/internal" }.count }

    func answer(method: String, path: String, query: String?, authorization: String?, body: Data) -> Response {
        let fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let text = (fields["content"] as? String).flatMap { FeishuMessageEvent.text(of: $0) }
        calls.append(Call(method: method, path: path, query: query, authorization: authorization,
                          body: fields.mapValues { "\($0)" }, text: text))
        if rateLimitedAnswers > 0 {
            rateLimitedAnswers -= 1
            return Self.json(#"{"code":99991400,"msg":"request trigger frequency limit"}"#, status: .tooManyRequests,
                             headers: ["x-ogw-ratelimit-reset": "1"])
        }
        if path == "/open-apis/auth/v3/tenant_access_token/internal" {
            guard fields["app_id"] as? String == Self.appID, fields["app_secret"] as? String == Self.appSecret else {
                return Self.json(#"{"code":10014,"msg":"app secret invalid"}"#, status: .badRequest)
            }
            issued += 1
            let token = "t-fake-\(issued)"
            validTokens.insert(token)
            return Self.json(#"{"code":0,"msg":"ok","tenant_access_token":"\#(token)","expire":\#(expire)}"#)
        }
        guard let authorization, authorization.hasPrefix("Bearer "), validTokens.contains(String(authorization.dropFirst(7))) else {
            return Self.json(#"{"code":99991663,"msg":"Invalid access token for authorization."}"#, status: .badRequest)
        }
        let parts = path.split(separator: "/").map(String.init)
        let messagesPath = parts.count >= 4 && Array(parts.prefix(4)) == ["open-apis", "im", "v1", "messages"]
        if method == "GET", path == "/open-apis/bot/v3/info" {
            return Self.json(#"{"code":0,"msg":"ok","bot":{"activate_status":2,"app_name":"Steward","avatar_url":"","ip_white_list":[],"open_id":"\#(Self.botOpenID)"}}"#)
        }
        if method == "POST", messagesPath, parts.count == 4 || (parts.count == 6 && parts[5] == "reply") {
            nextMessage += 1
            let id = "om_fake_reply_\(nextMessage)"
            messages[id] = text ?? ""
            return Self.json(#"{"code":0,"msg":"success","data":{"message_id":"\#(id)","msg_type":"text"}}"#)
        }
        if method == "PUT", messagesPath, parts.count == 5 {
            let id = parts[4]
            guard messages[id] != nil else { return Self.json(#"{"code":230001,"msg":"message not found"}"#, status: .badRequest) }
            // The adapter treats any non-zero code as a refused edit; the code here is only illustrative.
            guard !refuseEdits, editCounts[id, default: 0] < editLimit else {
                return Self.json(#"{"code":230072,"msg":"The message cannot be edited any more."}"#, status: .badRequest)
            }
            editCounts[id, default: 0] += 1
            messages[id] = text ?? ""
            return Self.json(#"{"code":0,"msg":"success","data":{"message_id":"\#(id)"}}"#)
        }
        return Self.json(#"{"code":404,"msg":"not found"}"#, status: .notFound)
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers extra: [String: String] = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        for (name, value) in extra { if let field = HTTPField.Name(name) { headers[field] = value } }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Runs `body` with the fake listening; the URL is the API base (`http://127.0.0.1:PORT`).
    static func withServer(_ body: @Sendable (FakeFeishu, String) async throws -> Void) async throws {
        let fake = FakeFeishu()
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            return await fake.answer(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                authorization: request.headers[.authorization], body: Data(bytes.readableBytesView))
        }
        router.post("open-apis/**", use: handler)
        router.get("open-apis/**", use: handler)
        router.put("open-apis/**", use: handler)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: Logger(label: "test.fake-feishu", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            guard let port = client.port else { throw FeishuError(.transport, "the fake Feishu has no port") }
            try await body(fake, "http://127.0.0.1:\(port)")
        }
    }
}
