import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import StewardController

/// A DingTalk robot callback: signed headers, replies through the session webhook on DingTalk's host only,
/// redeliveries handled once, forgeries refused.
@Suite("DingTalk robot callback", .timeLimit(.minutes(1)))
struct DingTalkConnectionTests {
    static let secret = "SEC-dingtalk-app-secret-0123456789"
    static let policy = """
        identities:
          - {platform: dingtalk, user: manager4220, roles: [viewer]}
        roles:
          viewer:
            rules: [{commands: [ping, metrics, agents], targets: all}]
        """

    static func callback(msgID: String = "msgA1", webhook: String) -> String {
        #"{"conversationId":"cid6KeBBLoveMJOGXoYKF5x7EeiodoA==","atUsers":[{"dingtalkId":"$:LWCP_v1:$robot"}],"chatbotUserId":"$:LWCP_v1:$robot","msgId":"\#(msgID)","senderNick":"Zhang San","isAdmin":true,"senderStaffId":"manager4220","sessionWebhookExpiredTime":1913635652738,"createAt":1613630252678,"conversationType":"2","senderId":"$:LWCP_v1:$sender","conversationTitle":"Ops","isInAtList":true,"sessionWebhook":"\#(webhook)","text":{"content":" whoami"},"robotCode":"normal","msgtype":"text"}"#
    }

    static func headers(timestamp: Date = Date(), secret: String = secret, sign: String? = nil) -> HTTPFields {
        let stamp = String(Int64(timestamp.timeIntervalSince1970 * 1000))
        var fields: HTTPFields = [:]
        fields[HTTPField.Name("timestamp")!] = stamp
        fields[HTTPField.Name("sign")!] = sign ?? DingTalkSignature.sign(timestampMs: stamp, secret: secret)
        return fields
    }

    @Test func aSignedCallbackIsAnsweredThroughItsSessionWebhookOnce() async throws {
        try await FakeDingTalk.withServer { fake, base in
            let connection = DingTalkConnection(
                settings: .init(name: "dingtalk", appSecret: Self.secret, path: "/dingtalk/callback", apiURL: base),
                logger: SlackEventsEndpointTests.quiet)
            var api = try await APIHarness.make()
            defer { api.cleanUp() }
            api.connections = ChatConnections([connection])
            try await SlackConnectionTests.running(connection, policy: Self.policy) {
                let body = Self.callback(webhook: base + "robot/sendBySession?session=abc")
                for _ in 0..<2 {
                    let response = try await api.request(.post, "/dingtalk/callback", authorization: nil, headers: Self.headers(), bytes: Array(body.utf8))
                    #expect(response.status == .ok)
                }
                let evil = Self.callback(msgID: "msgA2", webhook: "http://127.0.0.1:9/steal")
                #expect(try await api.request(.post, "/dingtalk/callback", authorization: nil, headers: Self.headers(), bytes: Array(evil.utf8)).status == .ok)
                try await eventually { await !fake.messages.isEmpty }
                try await Task.sleep(for: .milliseconds(300))
                let messages = await fake.messages
                #expect(messages.count == 1, "one reply: the redelivery ran nothing, the foreign webhook got nothing")
                #expect(messages.first?.session == "abc")
                #expect(messages.first?.msgtype == "markdown")
                #expect(messages.first?.text == "you are dingtalk:manager4220 (Zhang San); roles: viewer")
            }
        }
    }

    @Test func forgedAndStaleCallbacksAreRefused() async throws {
        let metrics = ControllerMetrics()
        let connection = DingTalkConnection(
            settings: .init(name: "dingtalk", appSecret: Self.secret, path: "/dingtalk/callback", apiURL: "https://oapi.dingtalk.com/"),
            logger: SlackEventsEndpointTests.quiet, metrics: metrics)
        var api = try await APIHarness.make()
        defer { api.cleanUp() }
        api.connections = ChatConnections([connection])
        let body = Array(Self.callback(webhook: "https://oapi.dingtalk.com/robot/sendBySession?session=abc").utf8)
        let cases: [(String, HTTPFields)] = [
            ("wrong secret", Self.headers(secret: "another")),
            ("stale", Self.headers(timestamp: Date().addingTimeInterval(-3700))),
            ("future", Self.headers(timestamp: Date().addingTimeInterval(3700))),
            ("garbage sign", Self.headers(sign: "not base64!")),
            ("no headers", [:]),
        ]
        for (name, headers) in cases {
            let response = try await api.request(.post, "/dingtalk/callback", authorization: nil, headers: headers, bytes: body)
            #expect(response.status == .unauthorized, "\(name)")
        }
        #expect(await connection.health.snapshot.rejectedRequests == cases.count)
        #expect(metrics.rejections(.dingtalk, .badSignature) == Double(cases.count), "each refusal counted once")
        let malformed = try await api.request(.post, "/dingtalk/callback", authorization: nil, headers: Self.headers(), bytes: Array("[]".utf8))
        #expect(malformed.status == .badRequest)
    }

    @Test func signatureMatchesTheDocumentedConstruction() {
        // Base64(HMAC-SHA256(key: secret, message: "1700000000000\nsecret")), computed independently with openssl:
        // printf '1700000000000\nsecret' | openssl dgst -sha256 -hmac secret -binary | base64
        #expect(DingTalkSignature.sign(timestampMs: "1700000000000", secret: "secret") == Self.opensslVector)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(DingTalkSignature.isValid(timestampMs: "1700000000000", sign: Self.opensslVector, secret: "secret", now: now))
        #expect(!DingTalkSignature.isValid(timestampMs: "1700000000001", sign: Self.opensslVector, secret: "secret", now: now))
    }

    static let opensslVector = "OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY="
}

/// DingTalk's session webhook endpoint: records each message.
actor FakeDingTalk {
    struct Message: Sendable {
        var session: String?
        var msgtype: String?
        var text: String?
    }

    private(set) var messages: [Message] = []

    func received(session: String?, body: Data) {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let markdown = object?["markdown"] as? [String: Any]
        messages.append(Message(session: session, msgtype: object?["msgtype"] as? String, text: markdown?["text"] as? String))
    }

    static func withServer(_ body: @Sendable (FakeDingTalk, String) async throws -> Void) async throws {
        let fake = FakeDingTalk()
        let router = Router()
        router.post("robot/sendBySession") { request, _ -> Response in
            await fake.received(session: request.uri.queryParameters["session"].map(String.init),
                                body: Data(try await request.body.collect(upTo: 1 << 20).readableBytesView))
            return FakeSlackWebAPI.json(#"{"errcode":0,"errmsg":"ok"}"#)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              logger: Logger(label: "test.fake-dingtalk", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            try await body(fake, "http://127.0.0.1:\(client.port ?? 0)/")
        }
    }
}
