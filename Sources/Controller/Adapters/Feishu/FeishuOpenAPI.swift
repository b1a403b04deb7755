import AsyncHTTPClient
import Foundation
import NIOCore

/// Calls Feishu's (or Lark's) open API as the app: the tenant token, the bot's identity, replies, edits.
///
/// Every answer is `{"code": 0, "msg": "...", ...}`; a non-zero `code` is an error carrying Feishu's `msg`,
/// whatever the HTTP status. A rate limit (HTTP 429 or a rate-limit code) is waited out once; a tenant token
/// the API calls invalid is refreshed once.
public struct FeishuOpenAPI: Sendable {
    /// Where and as which app the client calls.
    public struct Configuration: Sendable {
        /// `https://open.feishu.cn` or `https://open.larksuite.com`; tests point it at a fake. No trailing `/`.
        public var baseURL: String
        public var appID: String
        public var appSecret: String
        /// The longest rate-limit wait the client sits out before retrying once; longer waits fail at once.
        public var maxRetryWait: Duration
        public var timeout: TimeAmount

        public init(baseURL: String, appID: String, appSecret: String, maxRetryWait: Duration = .seconds(30), timeout: TimeAmount = .seconds(15)) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.appID = appID
            self.appSecret = appSecret
            self.maxRetryWait = maxRetryWait
            self.timeout = timeout
        }
    }

    /// Codes that mean "the tenant token is no good": fetch another and try again once.
    static let invalidTokenCodes: Set<Int> = [99_991_661, 99_991_663]
    /// Rate limits: 99991400 (API frequency), 230020 (per chat), 11232 (message sending, per app).
    static let rateLimitCodes: Set<Int> = [99_991_400, 230_020, 11_232]
    static let maxResponseBytes = 1 << 20

    let configuration: Configuration
    let http: HTTPClient
    let health: ChatHealthMonitor?
    let tokens: FeishuTenantToken
    let sleep: @Sendable (Duration) async throws -> Void

    public init(
        configuration: Configuration, http: HTTPClient = .shared, health: ChatHealthMonitor? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.configuration = configuration
        self.http = http
        self.health = health
        self.tokens = FeishuTenantToken(now: now)
        self.sleep = sleep
    }

    /// `GET /open-apis/bot/v3/info`: the bot's `open_id`, which group mentions are compared with.
    public func botOpenID() async throws -> String {
        let answer = try await call(.get, "/open-apis/bot/v3/info", body: Optional<Empty>.none)
        guard let openID = answer.bot?.openID, !openID.isEmpty else {
            throw await failed(FeishuError(.transport, "bot/v3/info answered without bot.open_id"))
        }
        return openID
    }

    /// `POST /open-apis/im/v1/messages/{message_id}/reply`: a text reply to that message; the new message's id.
    public func reply(to messageID: String, text: String, uuid: String = UUID().uuidString) async throws -> String {
        try await posted(call(.post, "/open-apis/im/v1/messages/\(try Self.pathComponent(messageID))/reply",
                              body: Outgoing(text: text, uuid: uuid)))
    }

    /// `POST /open-apis/im/v1/messages?receive_id_type=chat_id`: a text message in a chat; its id.
    public func send(chatID: String, text: String, uuid: String = UUID().uuidString) async throws -> String {
        try await posted(call(.post, "/open-apis/im/v1/messages?receive_id_type=chat_id",
                              body: Outgoing(text: text, uuid: uuid, receiveID: chatID)))
    }

    /// `PUT /open-apis/im/v1/messages/{message_id}`: replaces the text of a message the bot sent. Feishu allows
    /// 20 edits per message, within a time the tenant's admin sets; refusals come back as ``FeishuError/Code/apiError``.
    public func update(messageID: String, text: String) async throws {
        _ = try await call(.put, "/open-apis/im/v1/messages/\(try Self.pathComponent(messageID))", body: Outgoing(text: text))
    }

    private func posted(_ answer: Answer) async throws -> String {
        guard let id = answer.data?.messageID, !id.isEmpty else {
            throw await failed(FeishuError(.transport, "the message was sent, but Feishu answered without its message_id"))
        }
        return id
    }

    /// A call with the tenant token, refreshed once when Feishu calls it invalid; records the outcome in health.
    func call(_ method: Verb, _ path: String, body: (some Encodable)?) async throws -> Answer {
        do {
            let bytes = try body.map { try JSONEncoder().encode($0) }
            let fetch: @Sendable () async throws -> FeishuTenantToken.Issued = { try await self.fetchToken() }
            var token = try await tokens.current(fetch: fetch)
            var answer = try await perform(method, path, body: bytes, token: token)
            if let code = answer.code, Self.invalidTokenCodes.contains(code) {
                await tokens.invalidate(token)
                token = try await tokens.current(fetch: fetch)
                answer = try await perform(method, path, body: bytes, token: token)
                if let code = answer.code, Self.invalidTokenCodes.contains(code) {
                    throw FeishuError(.authFailed, answer.msg.flatMap { $0.isEmpty ? nil : $0 } ?? "code \(code)", feishuCode: code)
                }
            }
            guard answer.code == 0 else {
                let code = answer.code ?? -1
                throw FeishuError(.apiError, "\(path.prefix { $0 != "?" }) failed: \(answer.msg ?? "") (code \(code))", feishuCode: code)
            }
            await health?.callSucceeded()
            return answer
        } catch let error as FeishuError {
            await health?.callFailed(error)
            throw error
        }
    }

    /// `POST /open-apis/auth/v3/tenant_access_token/internal` with the app's id and secret.
    func fetchToken() async throws -> FeishuTenantToken.Issued {
        let body = try JSONEncoder().encode(["app_id": configuration.appID, "app_secret": configuration.appSecret])
        let answer = try await perform(.post, "/open-apis/auth/v3/tenant_access_token/internal", body: body, token: nil)
        guard answer.code == 0 else {
            let reason = answer.msg.flatMap { $0.isEmpty ? nil : $0 } ?? "code \(answer.code ?? -1)"
            throw FeishuError(.authFailed, reason, feishuCode: answer.code)
        }
        guard let token = answer.tenantAccessToken, !token.isEmpty, let expire = answer.expire, expire > 0 else {
            throw FeishuError(.transport, "tenant_access_token answered without a token")
        }
        return .init(token: token, expire: expire)
    }

    /// One exchange, plus one retry after a rate limit; the caller reads `code`.
    private func perform(_ method: Verb, _ path: String, body: Data?, token: String?, retriesLeft: Int = 1) async throws -> Answer {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        switch method {
        case .get: request.method = .GET
        case .post: request.method = .POST
        case .put: request.method = .PUT
        }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        let name = path.prefix { $0 != "?" }
        do {
            response = try await http.execute(request, timeout: configuration.timeout)
            bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
        } catch {
            throw FeishuError(.transport, "\(name) failed: \(error)")
        }
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(bytes.readableBytesView))
        if response.status.code == 429 || answer?.code.map(Self.rateLimitCodes.contains) == true {
            let header = response.headers.first(name: "x-ogw-ratelimit-reset") ?? response.headers.first(name: "Retry-After")
            let seconds = header.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            let wait = Duration.seconds(max(seconds ?? 1, 0))
            guard retriesLeft > 0, wait <= configuration.maxRetryWait else {
                throw FeishuError(.rateLimited, "\(name) is rate limited", feishuCode: answer?.code)
            }
            try await sleep(wait)
            return try await perform(method, path, body: body, token: token, retriesLeft: retriesLeft - 1)
        }
        guard let answer, answer.code != nil else {
            throw FeishuError(.transport, "\(name) answered HTTP \(response.status.code) without a Feishu answer")
        }
        return answer
    }

    private func failed(_ error: FeishuError) async -> FeishuError {
        await health?.callFailed(error)
        return error
    }

    enum Verb: Sendable {
        case get, post, put
    }

    /// Message ids go into paths; anything but Feishu's id alphabet is refused rather than escaped.
    static func pathComponent(_ id: String) throws -> String {
        guard !id.isEmpty, id.utf8.count <= 128,
              id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") })
        else { throw FeishuError(.malformedPayload, "'\(id.prefix(40))' is not a Feishu message id") }
        return id
    }

    /// The fields of an answer this client reads.
    struct Answer: Decodable {
        var code: Int?
        var msg: String?
        var data: MessageData?
        var bot: Bot?
        var tenantAccessToken: String?
        var expire: Int?

        struct MessageData: Decodable {
            var messageID: String?
            enum CodingKeys: String, CodingKey { case messageID = "message_id" }
        }

        struct Bot: Decodable {
            var openID: String?
            var appName: String?
            enum CodingKeys: String, CodingKey { case openID = "open_id", appName = "app_name" }
        }

        enum CodingKeys: String, CodingKey {
            case code, msg, data, bot, expire
            case tenantAccessToken = "tenant_access_token"
        }
    }

    struct Empty: Encodable {}

    /// A text message: `content` is itself a JSON string, `{"text": ...}`.
    struct Outgoing: Encodable {
        var msgType = "text"
        var content: String
        /// Feishu de-duplicates sends with the same uuid (within an hour), so a retry never posts twice.
        var uuid: String?
        var receiveID: String?

        init(text: String, uuid: String? = nil, receiveID: String? = nil) {
            let json = (try? JSONEncoder().encode(["text": text])).map { String(decoding: $0, as: UTF8.self) }
            self.content = json ?? #"{"text":""}"#
            self.uuid = uuid
            self.receiveID = receiveID
        }

        enum CodingKeys: String, CodingKey {
            case msgType = "msg_type", content, uuid
            case receiveID = "receive_id"
        }
    }
}

/// Only the host and the app id: the configuration holds the app secret.
extension FeishuOpenAPI.Configuration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "FeishuOpenAPI.Configuration(baseURL: \(baseURL), appID: \(appID))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["baseURL": baseURL, "appID": appID]) }
}

extension ChatHealthMonitor {
    /// Records a failed open API call; refused credentials mark the connection unhealthy with Feishu's reason.
    func callFailed(_ error: FeishuError) {
        if error.code == .authFailed {
            authFailed(error.message)
        } else {
            callFailed(error.description)
        }
    }
}
