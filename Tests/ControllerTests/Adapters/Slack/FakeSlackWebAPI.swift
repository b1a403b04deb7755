import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import StewardController

/// A fake Slack Web API on 127.0.0.1 (port 0) answering `chat.postMessage`, `chat.update` and the external file
/// upload (`files.getUploadURLExternal`, the upload URL, `files.completeUploadExternal`) as Slack documents them,
/// recording every call, and able to answer HTTP 429 with `Retry-After` or `"ok": false` on demand.
actor FakeSlackWebAPI {
    struct Call: Sendable {
        var method: String
        var authorization: String?
        var contentType: String?
        var body: [String: String]
        /// The body as sent (JSON or form), for assertions on nested fields such as `blocks`.
        var raw: String
    }

    /// One file, from `files.getUploadURLExternal` to `files.completeUploadExternal`.
    struct Upload: Sendable {
        var fileID: String
        var filename: String
        /// The `length` announced before the upload.
        var length: Int
        var bytes: [UInt8]?
        var uploadAuthorization: String?
        var title: String?
        var channelID: String?
        var threadTS: String?
        var initialComment: String?
        var completed = false
    }

    private(set) var calls: [Call] = []
    private(set) var uploads: [Upload] = []
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

    func answer(method: String, authorization: String?, contentType: String?, body: Data, host: String? = nil) -> Response {
        let isForm = contentType?.hasPrefix("application/x-www-form-urlencoded") == true
        var fields: [String: Any] = [:]
        if isForm {
            fields = FakeDingTalkRobot.formDecoded(String(decoding: body, as: UTF8.self))
        } else if let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] {
            fields = object
        }
        calls.append(Call(method: method, authorization: authorization, contentType: contentType,
                          body: fields.mapValues { "\($0)" }, raw: String(decoding: body, as: UTF8.self)))
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
        case "files.getUploadURLExternal":
            // Documented as form arguments; `length` must be a positive byte count.
            guard isForm, let filename = fields["filename"] as? String, !filename.isEmpty,
                  let length = (fields["length"] as? String).flatMap(Int.init), length > 0
            else { return Self.json(#"{"ok":false,"error":"invalid_arguments"}"#) }
            let fileID = "F\(String(format: "%08d", uploads.count + 1))"
            uploads.append(Upload(fileID: fileID, filename: filename, length: length))
            return Self.json(#"{"ok":true,"upload_url":"http://\#(host ?? "127.0.0.1")/upload/v1/\#(fileID)","file_id":"\#(fileID)"}"#)
        case "files.completeUploadExternal":
            guard let files = fields["files"] as? [[String: Any]], !files.isEmpty else {
                return Self.json(#"{"ok":false,"error":"invalid_arguments"}"#)
            }
            for file in files {
                guard let index = uploads.firstIndex(where: { $0.fileID == file["id"] as? String }),
                      uploads[index].bytes?.count == uploads[index].length
                else { return Self.json(#"{"ok":false,"error":"file_not_found"}"#) }
                uploads[index].title = file["title"] as? String
                uploads[index].channelID = fields["channel_id"] as? String
                uploads[index].threadTS = fields["thread_ts"] as? String
                uploads[index].initialComment = fields["initial_comment"] as? String
                uploads[index].completed = true
            }
            return Self.json(#"{"ok":true,"files":[{"id":"\#(uploads.last?.fileID ?? "")","title":"x"}]}"#)
        default:
            return Self.json(#"{"ok":false,"error":"unknown_method"}"#)
        }
    }

    /// The bytes POSTed to an upload URL; Slack answers 200 with `OK - <length>`.
    func received(upload fileID: String, bytes: [UInt8], authorization: String?) -> Response {
        guard let index = uploads.firstIndex(where: { $0.fileID == fileID }) else {
            return Response(status: .notFound)
        }
        uploads[index].bytes = bytes
        uploads[index].uploadAuthorization = authorization
        return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "OK - \(bytes.count)")))
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
                body: Data(bytes.readableBytesView), host: request.head.authority)
        }
        router.post("upload/v1/:file") { request, context -> Response in
            let file = try context.parameters.require("file")
            let bytes = try await request.body.collect(upTo: 8 << 20)
            return await fake.received(upload: file, bytes: Array(bytes.readableBytesView), authorization: request.headers[.authorization])
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
