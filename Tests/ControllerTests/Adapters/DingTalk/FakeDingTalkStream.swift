import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import NIOCore
@testable import StewardController

/// A fake DingTalk for Stream mode on 127.0.0.1:0: `POST /v1.0/gateway/connections/open` checks the client id and
/// secret and hands out single-use tickets for its own `ws://` endpoint; each WebSocket session plays a script of
/// frames (as the Stream SDKs document them) and records the acknowledgements; `robot/sendBySession` records replies.
actor FakeDingTalkStream {
    enum Step: Sendable {
        case send(String)
        /// Waits (up to 5 s) for the acknowledgement of this message id.
        case awaitAck(String)
    }

    /// One frame the client sent back.
    struct Ack: Sendable, Equatable {
        var code: Int?
        var messageID: String?
        var contentType: String?
        var message: String?
        var data: String?
    }

    static let clientID = "dingtestclient0001"
    static let clientSecret = "stream-secret-0123456789"

    private var scripts: [[Step]] = []
    private var tickets: Set<String> = []
    /// What each `connections/open` asked for.
    struct OpenRequest: Sendable, Equatable {
        var clientID: String?
        var clientSecret: String?
        /// `TYPE topic` per subscription.
        var subscriptions: [String]
        var ua: String?
    }

    private(set) var openRequests: [OpenRequest] = []
    private(set) var opened = 0
    private(set) var refused = 0
    private(set) var sessions = 0
    private(set) var acks: [Ack] = []
    private(set) var replies: [FakeDingTalk.Message] = []

    func load(_ scripts: [[Step]]) {
        self.scripts = scripts
    }

    /// A ticket, or nil when the credentials are wrong.
    func open(body: Data) -> String? {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let subscriptions = (object["subscriptions"] as? [[String: Any]] ?? []).map { "\($0["type"] ?? "?") \($0["topic"] ?? "?")" }
        openRequests.append(OpenRequest(
            clientID: object["clientId"] as? String, clientSecret: object["clientSecret"] as? String, subscriptions: subscriptions,
            ua: object["ua"] as? String))
        guard object["clientId"] as? String == Self.clientID, object["clientSecret"] as? String == Self.clientSecret else {
            refused += 1
            return nil
        }
        opened += 1
        // A ticket with characters that must be URL-encoded.
        let ticket = "t+\(opened)/\(UUID().uuidString)="
        tickets.insert(ticket)
        return ticket
    }

    /// Tickets are single use.
    func redeem(_ ticket: String) -> Bool {
        tickets.remove(ticket) != nil
    }

    func nextScript() -> [Step] {
        sessions += 1
        return scripts.isEmpty ? [] : scripts.removeFirst()
    }

    func acknowledged(_ text: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return }
        let headers = object["headers"] as? [String: Any]
        acks.append(Ack(code: object["code"] as? Int, messageID: headers?["messageId"] as? String, contentType: headers?["contentType"] as? String,
                        message: object["message"] as? String, data: object["data"] as? String))
    }

    func hasAck(_ id: String) -> Bool { acks.contains { $0.messageID == id } }

    func ack(_ id: String) -> Ack? { acks.first { $0.messageID == id } }

    func replied(session: String?, body: Data) {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let markdown = object?["markdown"] as? [String: Any]
        replies.append(FakeDingTalk.Message(session: session, msgtype: object?["msgtype"] as? String, text: markdown?["text"] as? String))
    }

    // MARK: Frames, as DingTalk sends them (`data` is JSON text).

    static func frame(type: String, topic: String, messageID: String, data: String) -> String {
        let object: [String: Any] = [
            "specVersion": "1.0", "type": type, "data": data,
            "headers": ["appId": "app-1", "connectionId": "conn-1", "contentType": "application/json", "messageId": messageID,
                        "time": "1700000000000", "topic": topic],
        ]
        let bytes = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: bytes, as: UTF8.self)
    }

    static func ping(_ messageID: String, opaque: String = "5a6e0d3c-ping") -> String {
        frame(type: "SYSTEM", topic: "ping", messageID: messageID, data: #"{"opaque":"\#(opaque)"}"#)
    }

    static func disconnect(_ messageID: String) -> String {
        frame(type: "SYSTEM", topic: "disconnect", messageID: messageID, data: #"{"reason":"persistent connection is timeout"}"#)
    }

    /// A robot message (the HTTP callback's JSON) from manager4220 in a group, with its session webhook.
    static func robotMessage(_ messageID: String, msgID: String, webhook: String, text: String = " whoami") -> String {
        frame(type: "CALLBACK", topic: "/v1.0/im/bot/messages/get", messageID: messageID,
              data: DingTalkConnectionTests.callback(msgID: msgID, webhook: webhook).replacingOccurrences(of: #"" whoami""#, with: #""\#(text)""#))
    }

    /// Runs `body` with the fake listening; the URL (`http://127.0.0.1:PORT/`) is both the gateway and the API host.
    static func withServer(_ fake: FakeDingTalkStream, _ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("v1.0/gateway/connections/open") { request, _ -> Response in
            let bytes = Data(try await request.body.collect(upTo: 1 << 16).readableBytesView)
            guard let ticket = await fake.open(body: bytes) else {
                return FakeSlackWebAPI.json(
                    #"{"code":"InvalidAuthentication","requestid":"4F2A9E1B","message":"clientId or clientSecret is invalid"}"#,
                    status: .unauthorized)
            }
            let host = request.head.authority ?? "127.0.0.1"
            let answer = try JSONSerialization.data(withJSONObject: ["endpoint": "ws://\(host)/connect", "ticket": ticket])
            return FakeSlackWebAPI.json(String(decoding: answer, as: UTF8.self))
        }
        router.post("robot/sendBySession") { request, _ -> Response in
            await fake.replied(session: request.uri.queryParameters["session"].map(String.init),
                               body: Data(try await request.body.collect(upTo: 1 << 20).readableBytesView))
            return FakeSlackWebAPI.json(#"{"errcode":0,"errmsg":"ok"}"#)
        }
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade { request, _, _ in
                guard let path = request.path, path.hasPrefix("/connect?ticket="),
                      let ticket = path.dropFirst("/connect?ticket=".count).removingPercentEncoding,
                      await fake.redeem(ticket)
                else { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    let reader = Task {
                        for try await message in inbound.messages(maxSize: 1 << 16) {
                            if case .text(let text) = message { await fake.acknowledged(text) }
                        }
                    }
                    defer { reader.cancel() }
                    for step in await fake.nextScript() {
                        switch step {
                        case .send(let frame):
                            try await outbound.write(.text(frame))
                        case .awaitAck(let id):
                            for _ in 0..<200 where await !fake.hasAck(id) { try await Task.sleep(for: .milliseconds(25)) }
                        }
                    }
                    _ = try? await reader.value
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: Logger(label: "test.fake-dingtalk-stream", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port ?? 0)/")
        }
    }
}
