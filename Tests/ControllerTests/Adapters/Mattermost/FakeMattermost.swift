import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import NIOCore
@testable import StewardController

/// A fake Mattermost server: `users/me`, `posts`, `posts/{id}/patch` and the WebSocket API, as documented
/// (Bearer token; `hello` with a `connection_id`, then `posted` events whose `post` is a JSON string, each
/// with the connection's next `seq`). Each WebSocket session sends its scripted events and then closes, so
/// the next session tests the reconnect. A client that reconnects with `connection_id` and
/// `sequence_number` gets the events it missed replayed, without a new `hello`, as the server does.
actor FakeMattermost {
    static let token = "mm-bot-token"
    static let botID = "botuserid00000000000000000"

    struct Script: Sendable {
        /// Sent during the session.
        var live: [String]
        /// Posted after the session closed, while the client is away.
        var afterClose: [String] = []
        /// Forget every stream once the session closed, as a restarted server does.
        var restart = false
    }

    private var scripts: [Script]
    private(set) var sessions = 0
    /// The query string of each WebSocket session, in order.
    private(set) var queries: [String] = []
    private(set) var posts: [(channel: String, message: String, rootID: String?)] = []
    private(set) var patches: [(id: String, message: String)] = []
    private var nextPost = 0
    /// Every event of each connection, at the index of its `seq`.
    private var streams: [String: [String]] = [:]
    private var nextConnection = 0

    init(scripts: [[String]]) {
        self.scripts = scripts.map { Script(live: $0) }
    }

    init(sessions: [Script]) {
        self.scripts = sessions
    }

    func nextScript() -> Script? {
        sessions += 1
        return scripts.isEmpty ? nil : scripts.removeFirst()
    }

    /// A new session: the events a resumed stream missed, or a new stream's `hello`.
    func open(query: String) -> (connectionID: String, opening: [String]) {
        queries.append(query)
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { parameters[parts[0]] = parts[1] }
        }
        if let id = parameters["connection_id"], let events = streams[id],
           let next = parameters["sequence_number"].flatMap({ Int($0) }), (1...events.count).contains(next) {
            return (id, Array(events[next...]))
        }
        nextConnection += 1
        let id = "conn\(nextConnection)"
        streams[id] = []
        return (id, stamped([#"{"event":"hello","data":{"server_version":"9.11.0","connection_id":"\#(id)"},"broadcast":{}}"#], id))
    }

    /// The events with the stream's next sequence numbers, kept for replay.
    func stamped(_ events: [String], _ id: String) -> [String] {
        events.map { event in
            let stamped = String(event.dropLast()) + #","seq":\#(streams[id, default: []].count)}"#
            streams[id, default: []].append(stamped)
            return stamped
        }
    }

    func closed(_ script: Script, _ id: String) {
        _ = stamped(script.afterClose, id)
        if script.restart { streams = [:] }
    }

    func created(_ post: MattermostClient.Post) -> String {
        nextPost += 1
        posts.append((post.channelID, post.message, post.rootID))
        return "post\(nextPost)"
    }

    func patched(_ id: String, _ message: String) { patches.append((id, message)) }

    /// A `posted` event as the WebSocket API sends it.
    static func posted(id: String, user: String, channel: String = "chan1", message: String, channelType: String = "O",
                       sender: String = "@alice", root: String = "", type: String = "") -> String {
        let post = #"{"id":"\#(id)","create_at":1700000000000,"user_id":"\#(user)","channel_id":"\#(channel)","root_id":"\#(root)","message":"\#(message)","type":"\#(type)","props":{}}"#
        let quoted = String(decoding: try! JSONEncoder().encode(post), as: UTF8.self)
        return #"{"event":"posted","data":{"channel_display_name":"Ops","channel_name":"ops","channel_type":"\#(channelType)","post":\#(quoted),"sender_name":"\#(sender)","team_id":"team1"},"broadcast":{"channel_id":"\#(channel)","team_id":"","user_id":""}}"#
    }

    static func withServer(_ fake: FakeMattermost, _ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        @Sendable func authorized(_ request: Request) -> Bool { request.headers[.authorization] == "Bearer \(token)" }
        let unauthorized = Response(
            status: .unauthorized, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"id":"api.context.session_expired.app_error","message":"Invalid or expired session, please login again.","status_code":401}"#)))
        router.get("api/v4/users/me") { request, _ -> Response in
            guard authorized(request) else { return unauthorized }
            return FakeSlackWebAPI.json(#"{"id":"\#(botID)","username":"steward"}"#)
        }
        router.post("api/v4/posts") { request, _ -> Response in
            guard authorized(request) else { return unauthorized }
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let post = try JSONDecoder().decode(MattermostClient.Post.self, from: Data(bytes.readableBytesView))
            let id = await fake.created(post)
            return FakeSlackWebAPI.json(#"{"id":"\#(id)","channel_id":"\#(post.channelID)","message":"x","root_id":"\#(post.rootID ?? "")"}"#, status: .created)
        }
        router.put("api/v4/posts/:id/patch") { request, context -> Response in
            guard authorized(request) else { return unauthorized }
            let id = try context.parameters.require("id")
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let patch = try JSONDecoder().decode([String: String].self, from: Data(bytes.readableBytesView))
            await fake.patched(id, patch["message"] ?? "")
            return FakeSlackWebAPI.json(#"{"id":"\#(id)","channel_id":"c","message":"x"}"#)
        }
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade { request, _, _ in
                let target = (request.path ?? "").split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
                guard target.first == "/api/v4/websocket", request.headerFields[.authorization] == "Bearer \(token)" else {
                    return .dontUpgrade
                }
                let query = target.count > 1 ? String(target[1]) : ""
                return .upgrade([:]) { inbound, outbound, _ in
                    let (id, opening) = await fake.open(query: query)
                    for event in opening { try await outbound.write(.text(event)) }
                    guard let script = await fake.nextScript() else {
                        // No more scripts: stay connected until the client goes away.
                        for try await _ in inbound {}
                        return
                    }
                    for event in await fake.stamped(script.live, id) { try await outbound.write(.text(event)) }
                    try await Task.sleep(for: .milliseconds(300))
                    await fake.closed(script, id)
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: Logger(label: "test.fake-mattermost", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port ?? 0)")
        }
    }
}
