import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import Testing
@testable import StewardController

/// Inbound webhooks through the controller's router: signed Steward-style hooks, Slack-compatible outgoing
/// webhooks with a token, replies to an incoming-webhook URL, and every forgery refused without running anything.
@Suite("Inbound webhooks", .timeLimit(.minutes(1)))
struct WebhookConnectionTests {
    static let secret = "whsec-0123456789abcdef"
    static let policy = """
        identities:
          - {platform: webhook, user: alertmanager, roles: [viewer]}
          - {platform: webhook, user: "slack-out/U2147483697", roles: [viewer]}
        roles:
          viewer:
            rules: [{commands: [ping, metrics, agents], targets: all}]
        """

    static func connection(style: WebhookConnection.Style, replyURL: String? = nil) -> WebhookConnection {
        WebhookConnection(
            settings: .init(name: style == .steward ? "alertmanager" : "slack-out", style: style,
                            path: style == .steward ? "/hooks/alertmanager" : "/hooks/slack-out",
                            secret: secret, identity: style == .steward ? "alertmanager" : nil, replyURL: replyURL),
            logger: SlackEventsEndpointTests.quiet)
    }

    static func signedHeaders(_ body: String, delivery: String? = "d-1", timestamp: Date = Date(), secret: String = secret,
                              signature: String? = nil) -> HTTPFields {
        let stamp = String(Int(timestamp.timeIntervalSince1970))
        var fields: HTTPFields = [:]
        fields[HTTPField.Name("X-Steward-Request-Timestamp")!] = stamp
        fields[HTTPField.Name("X-Steward-Signature")!] = signature
            ?? WebhookConnection.signature.sign(body: Array(body.utf8), timestamp: stamp, secret: secret)
        if let delivery { fields[HTTPField.Name("X-Steward-Delivery")!] = delivery }
        return fields
    }

    @Test func aSignedHookRunsOnceAndRepliesToTheReplyURL() async throws {
        try await FakeIncomingWebhook.withServer { receiver, url in
            let connection = Self.connection(style: .steward, replyURL: url)
            var api = try await APIHarness.make()
            defer { api.cleanUp() }
            api.connections = ChatConnections([connection])
            try await SlackConnectionTests.running(connection, policy: Self.policy) {
                let body = #"{"text":"whoami"}"#
                for _ in 0..<2 {
                    let response = try await api.request(
                        .post, "/hooks/alertmanager", authorization: nil, headers: Self.signedHeaders(body), bytes: Array(body.utf8))
                    #expect(response.status == .accepted)
                }
                try await eventually { await !receiver.texts.isEmpty }
                try await Task.sleep(for: .milliseconds(200))
                #expect(await receiver.texts == ["you are webhook:alertmanager (alertmanager); roles: viewer"], "a redelivery runs nothing twice")
                #expect(await connection.health.snapshot.lastEventAt != nil)
            }
        }
    }

    static let forgeries: [(String, HTTPFields, HTTPResponse.Status)] = {
        let body = #"{"text":"whoami"}"#
        return [
            ("wrong secret", signedHeaders(body, secret: "another-secret-0123456789"), .unauthorized),
            ("stale timestamp", signedHeaders(body, timestamp: Date().addingTimeInterval(-301)), .unauthorized),
            ("future timestamp", signedHeaders(body, timestamp: Date().addingTimeInterval(400)), .unauthorized),
            ("no signature", { var f = signedHeaders(body); f[HTTPField.Name("X-Steward-Signature")!] = nil; return f }(), .unauthorized),
            ("bad signature form", signedHeaders(body, signature: "v0=abc"), .unauthorized),
            ("signature of another body", signedHeaders(#"{"text":"ping all"}"#), .unauthorized),
            ("no delivery id", signedHeaders(body, delivery: nil), .badRequest),
            ("delivery id with spaces", signedHeaders(body, delivery: "a b"), .badRequest),
        ]
    }()

    @Test func forgedStaleAndMalformedHooksAreRefusedAndRunNothing() async throws {
        let connection = Self.connection(style: .steward)
        var api = try await APIHarness.make()
        defer { api.cleanUp() }
        api.connections = ChatConnections([connection])
        let body = #"{"text":"whoami"}"#
        for (name, headers, status) in Self.forgeries {
            let response = try await api.request(.post, "/hooks/alertmanager", authorization: nil, headers: headers, bytes: Array(body.utf8))
            #expect(response.status == status, "\(name)")
        }
        for bad in ["", "[]", #"{"text":""}"#, #"{"command":"x"}"#, "not json"] {
            let response = try await api.request(.post, "/hooks/alertmanager", authorization: nil, headers: Self.signedHeaders(bad), bytes: Array(bad.utf8))
            #expect(response.status == .badRequest, "\(bad)")
        }
        let health = await connection.health.snapshot
        #expect(health.rejectedRequests == 6)
        #expect(health.lastEventAt == nil, "nothing was accepted")
    }

    /// Slack's documented outgoing-webhook payload (form-encoded), with our token.
    static func outgoing(token: String = secret, text: String = "steward: whoami", timestamp: String = "1355517523.000005") -> String {
        "token=\(token)&team_id=T0001&team_domain=example&channel_id=C2147483705&channel_name=test&timestamp=\(timestamp)"
            + "&user_id=U2147483697&user_name=Steve&text=\(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&trigger_word=steward%3A"
    }

    @Test func aSlackOutgoingWebhookIsAnsweredInTheResponse() async throws {
        let connection = Self.connection(style: .slack)
        var api = try await APIHarness.make()
        defer { api.cleanUp() }
        api.connections = ChatConnections([connection])
        try await SlackConnectionTests.running(connection, policy: Self.policy) {
            var headers: HTTPFields = [:]
            headers[.contentType] = "application/x-www-form-urlencoded"
            let response = try await api.request(
                .post, "/hooks/slack-out", authorization: nil, headers: headers, bytes: Array(Self.outgoing().utf8))
            #expect(response.status == .ok)
            let answer = try JSONDecoder().decode([String: String].self, from: Data(response.body.readableBytesView))
            #expect(answer["text"] == "you are webhook:slack-out/U2147483697 (Steve); roles: viewer")

            let json = #"{"token":"\#(Self.secret)","channel_name":"ops","user_name":"bob","text":"whoami","ts":"1700000000"}"#
            var jsonHeaders: HTTPFields = [:]
            jsonHeaders[.contentType] = "application/json"
            let bearychat = try await api.request(.post, "/hooks/slack-out", authorization: nil, headers: jsonHeaders, bytes: Array(json.utf8))
            #expect(bearychat.status == .ok, "BearyChat-style JSON with names only")

            let forged = try await api.request(
                .post, "/hooks/slack-out", authorization: nil, headers: headers, bytes: Array(Self.outgoing(token: "wrong").utf8))
            #expect(forged.status == .unauthorized)
            let tokenless = try await api.request(
                .post, "/hooks/slack-out", authorization: nil, headers: headers, bytes: Array("user_id=U1&text=whoami".utf8))
            #expect(tokenless.status == .unauthorized)
            #expect(await connection.health.snapshot.rejectedRequests == 2)
        }
    }

    @Test func triggerWordsAreStripped() throws {
        let payload = try WebhookPayload.Outgoing.parse(Array(Self.outgoing(text: "Steward:  metrics all").utf8), contentType: nil)
        #expect(payload.command == "metrics all")
        #expect(payload.channel == "C2147483705")
        #expect(payload.timestamp == "1355517523.000005")
    }
}

/// An incoming-webhook receiver (what Slack, Mattermost or Rocket.Chat expose): records each `text`.
actor FakeIncomingWebhook {
    private(set) var texts: [String] = []

    func received(_ body: Data) {
        if let object = try? JSONDecoder().decode([String: String].self, from: body), let text = object["text"] { texts.append(text) }
    }

    static func withServer(_ body: @Sendable (FakeIncomingWebhook, String) async throws -> Void) async throws {
        let receiver = FakeIncomingWebhook()
        let router = Router()
        router.post("services/T1/B1/secret") { request, _ -> HTTPResponse.Status in
            await receiver.received(Data(try await request.body.collect(upTo: 1 << 20).readableBytesView))
            return .ok
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              logger: Logger(label: "test.fake-hook", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            try await body(receiver, "http://127.0.0.1:\(client.port ?? 0)/services/T1/B1/secret")
        }
    }
}
