import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import StewardController

/// A Feishu connection end to end: events POSTed to the controller's route (signed, encrypted, redelivered,
/// forged), the engine running jobs on fake agents, replies and edits landing on the fake open API.
@Suite("Feishu connection", .timeLimit(.minutes(1)))
struct FeishuConnectionTests {
    static let user = FeishuMessageEventTests.user
    static let path = "/feishu/events"
    static let quiet = Logger(label: "test.feishu", factory: { _ in SwiftLogNoOpLogHandler() })
    static let policy = """
        identities:
          - {platform: feishu, user: \(user), roles: [operator]}
        roles:
          operator:
            rules: [{commands: [ping, agents], targets: all}]
        """

    static func connection(
        _ url: String = "http://127.0.0.1:9", secret: String = FakeFeishu.appSecret, encryptKey: String? = FeishuCryptoTests.encryptKey,
        token: String? = FeishuCryptoTests.verificationToken, metrics: ControllerMetrics = ControllerMetrics()
    ) -> FeishuConnection {
        FeishuConnection(
            settings: .init(
                name: "feishu", appID: FakeFeishu.appID, appSecret: secret, encryptKey: encryptKey, verificationToken: token,
                path: path, apiURL: url),
            logger: quiet, metrics: metrics)
    }

    /// Headers Feishu sends with `body`, signed with `key` unless `signature` overrides it.
    static func signed(_ body: String, at time: Date = Date(), nonce: String = UUID().uuidString, key: String = FeishuCryptoTests.encryptKey,
                       signature: String? = nil) -> HTTPFields {
        let timestamp = String(Int64(time.timeIntervalSince1970))
        var fields: HTTPFields = [:]
        fields[HTTPField.Name("X-Lark-Request-Timestamp")!] = timestamp
        fields[HTTPField.Name("X-Lark-Request-Nonce")!] = nonce
        fields[HTTPField.Name("X-Lark-Signature")!] = signature
            ?? FeishuSignature.sign(timestamp: timestamp, nonce: nonce, encryptKey: key, body: Array(body.utf8))
        return fields
    }

    /// Runs the connection with an engine over `harness` until `body` returns; the bot knows who it is first.
    static func running(
        _ connection: FeishuConnection, harness: DispatcherHarness, _ body: () async throws -> Void
    ) async throws {
        let engine = ChatEngine(
            database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: policy),
            progressInterval: .milliseconds(10), logger: quiet)
        let task = Task { await connection.run(engine: engine) }
        defer { task.cancel() }
        try await eventually { await connection.health.snapshot.connected }
        try await body()
        task.cancel()
        await task.value
    }

    static func api(_ connection: FeishuConnection) async throws -> APIHarness {
        var api = try await APIHarness.make()
        api.connections = ChatConnections([connection])
        return api
    }

    static func post(_ api: APIHarness, _ body: String, headers: HTTPFields) async throws -> TestResponse {
        try await api.request(.post, path, authorization: nil, headers: headers, bytes: Array(body.utf8))
    }

    @Test func signedPlainAndEncryptedEventsRunOnceAndTheReplyAnswersTheMessage() async throws {
        try await FakeFeishu.withServer { fake, url in
            let harness = try await DispatcherHarness(agents: ["web-01", "web-02"])
            try await harness.connect("web-01")
            try await harness.connect("web-02")
            let connection = Self.connection(url)
            let api = try await Self.api(connection)
            defer { api.cleanUp() }
            try await Self.running(connection, harness: harness) {
                let plain = FeishuMessageEventTests.event(eventID: "ev_plain_1", messageID: "om_plain_1")
                let response = try await Self.post(api, plain, headers: Self.signed(plain))
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{}")
                let encrypted = FeishuCryptoTests.eventBody
                #expect(try await Self.post(api, encrypted, headers: Self.signed(encrypted)).status == .ok)
                try await eventually { await fake.replies.count == 2 }
                try await Task.sleep(for: .milliseconds(300))
                let replies = await fake.replies
                #expect(Set(replies.map(\.path)) == [
                    "/open-apis/im/v1/messages/om_plain_1/reply", "/open-apis/im/v1/messages/om_encrypted0001/reply",
                ])
                #expect(replies.allSatisfy { $0.text?.contains("`ping` on 2 hosts, asked by \(Self.user)") == true }, "\(replies.map(\.text))")
                let jobs = try await harness.database.recentJobs(limit: 10)
                #expect(jobs.count == 2)
                #expect(jobs.allSatisfy { $0.requestedBy == "feishu:\(Self.user)" })
            }
        }
    }

    @Test func aRedeliveredEventRunsNothingTwice() async throws {
        try await FakeFeishu.withServer { fake, url in
            let harness = try await DispatcherHarness(agents: ["web-01"])
            let agent = try await harness.connect("web-01")
            let connection = Self.connection(url)
            let api = try await Self.api(connection)
            defer { api.cleanUp() }
            try await Self.running(connection, harness: harness) {
                let event = FeishuMessageEventTests.event(eventID: "ev_retried", messageID: "om_retried")
                // Feishu redelivers after 15 s, 5 min, ...: the same body, signed again.
                for offset in [0.0, 15, 300] {
                    let headers = Self.signed(event, at: Date().addingTimeInterval(-300 + offset))
                    #expect(try await Self.post(api, event, headers: headers).status == .ok)
                }
                try await eventually { await fake.replies.count == 1 }
                try await Task.sleep(for: .milliseconds(300))
                #expect(await fake.replies.count == 1)
                #expect(try await harness.database.recentJobs(limit: 10).count == 1)
                #expect(agent.offers.count == 1, "one job offered to the agent")
            }
        }
    }

    @Test func forgedStaleAndUnsignedEventsAreRefusedAndNothingRuns() async throws {
        try await FakeFeishu.withServer { fake, url in
            let harness = try await DispatcherHarness(agents: ["web-01"])
            try await harness.connect("web-01")
            let metrics = ControllerMetrics()
            let connection = Self.connection(url, metrics: metrics)
            let api = try await Self.api(connection)
            defer { api.cleanUp() }
            try await Self.running(connection, harness: harness) {
                let event = FeishuMessageEventTests.event(eventID: "ev_forged")
                let other = FeishuMessageEventTests.event(eventID: "ev_forged", text: "@_user_1 reboot all")
                let wrongToken = FeishuMessageEventTests.event(eventID: "ev_token", token: "another-apps-token")
                let cases: [(String, String, HTTPFields)] = [
                    ("signed with another key", event, Self.signed(event, key: "another-key")),
                    ("signed an hour ago", event, Self.signed(event, at: Date().addingTimeInterval(-3700))),
                    ("signed an hour ahead", event, Self.signed(event, at: Date().addingTimeInterval(3700))),
                    ("no signature at all", event, [:]),
                    ("a captured signature on another body", other, Self.signed(event)),
                    ("garbage signature", event, Self.signed(event, signature: "not-hex")),
                    ("signed, but another app's token", wrongToken, Self.signed(wrongToken)),
                ]
                for (name, body, headers) in cases {
                    let response = try await Self.post(api, body, headers: headers)
                    #expect(response.status == .unauthorized, "\(name)")
                }
                #expect(await connection.health.snapshot.rejectedRequests == cases.count)
                // Counted once each, under its reason: another key, another body, garbage; two stale; unsigned; wrong token.
                #expect(metrics.rejections(.feishu, .badSignature) == 3)
                #expect(metrics.rejections(.feishu, .staleTimestamp) == 2)
                #expect(metrics.rejections(.feishu, .unsigned) == 1)
                #expect(metrics.rejections(.feishu, .badToken) == 1)
                let garbage = "{not json"
                #expect(try await Self.post(api, garbage, headers: Self.signed(garbage)).status == .badRequest)
                try await Task.sleep(for: .milliseconds(300))
                #expect(await fake.replies.isEmpty)
                #expect(try await harness.database.recentJobs(limit: 10).isEmpty)
            }
        }
    }

    @Test func urlVerificationIsAnsweredPlainOrEncrypted() async throws {
        // Token only (no encrypt key): a plain challenge, checked against the verification token.
        let plainConnection = Self.connection(encryptKey: nil)
        let plainAPI = try await Self.api(plainConnection)
        defer { plainAPI.cleanUp() }
        let challenge = #"{"challenge":"1b6aef1a-401f-406a-be41-f48911eabcef","token":"steward-verification-token","type":"url_verification"}"#
        let answered = try await Self.post(plainAPI, challenge, headers: [:])
        #expect(answered.status == .ok)
        #expect(String(buffer: answered.body) == #"{"challenge":"1b6aef1a-401f-406a-be41-f48911eabcef"}"#)
        let foreign = challenge.replacingOccurrences(of: "steward-verification-token", with: "xxxxxx")
        #expect(try await Self.post(plainAPI, foreign, headers: [:]).status == .unauthorized)
        #expect(await plainConnection.health.snapshot.rejectedRequests == 1)

        // With an encrypt key: the challenge comes encrypted (signed or not); a plain one is refused.
        let connection = Self.connection()
        let api = try await Self.api(connection)
        defer { api.cleanUp() }
        let encrypted = #"{"encrypt":"\#(FeishuCryptoTests.challengeEncrypted)"}"#
        for headers in [HTTPFields(), Self.signed(encrypted)] {
            let response = try await Self.post(api, encrypted, headers: headers)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"challenge":"ajls384kdjx98XX"}"#)
        }
        #expect(try await Self.post(api, challenge, headers: [:]).status == .unauthorized)
        #expect(try await Self.post(api, encrypted, headers: Self.signed(encrypted, key: "another-key")).status == .unauthorized)
        #expect(await connection.health.snapshot.rejectedRequests == 2)
    }

    @Test func messagesNotForTheBotRunNothing() async throws {
        try await FakeFeishu.withServer { fake, url in
            let harness = try await DispatcherHarness(agents: ["web-01"])
            try await harness.connect("web-01")
            let connection = Self.connection(url)
            let api = try await Self.api(connection)
            defer { api.cleanUp() }
            try await Self.running(connection, harness: harness) {
                let ignored = [
                    FeishuMessageEventTests.event(eventID: "ev_nomention", text: "ping all", mentions: []),
                    FeishuMessageEventTests.event(eventID: "ev_ownpost", senderType: "app", sender: FakeFeishu.botOpenID),
                    FeishuMessageEventTests.event(eventID: "ev_image", messageType: "image"),
                ]
                for body in ignored {
                    #expect(try await Self.post(api, body, headers: Self.signed(body)).status == .ok)
                }
                let direct = FeishuMessageEventTests.event(eventID: "ev_whoami", chatType: "p2p", text: "whoami", mentions: [])
                #expect(try await Self.post(api, direct, headers: Self.signed(direct)).status == .ok)
                try await eventually { await !fake.replies.isEmpty }
                try await Task.sleep(for: .milliseconds(300))
                let replies = await fake.replies
                #expect(replies.map(\.text) == ["you are feishu:\(Self.user) (\(Self.user)); roles: operator"], "only the direct message")
                #expect(try await harness.database.recentJobs(limit: 10).isEmpty)
            }
        }
    }

    @Test func aGroupMessageBeforeTheBotKnowsItselfIsRetriedLater() async throws {
        let connection = Self.connection()
        let api = try await Self.api(connection)
        defer { api.cleanUp() }
        let event = FeishuMessageEventTests.event()
        #expect(try await Self.post(api, event, headers: Self.signed(event)).status == .serviceUnavailable)
    }

    @Test func progressEditsTheReplyUntilTheSummary() async throws {
        try await FakeFeishu.withServer { fake, url in
            let harness = try await DispatcherHarness(agents: ["web-01", "web-02"])
            try await harness.connect("web-01")
            try await harness.connect("web-02")
            let connection = Self.connection(url)
            let api = try await Self.api(connection)
            defer { api.cleanUp() }
            try await Self.running(connection, harness: harness) {
                let event = FeishuMessageEventTests.event(eventID: "ev_progress", messageID: "om_asker")
                #expect(try await Self.post(api, event, headers: Self.signed(event)).status == .ok)
                try await eventually { await fake.replies.count == 1 }
                let replyID = try #require(await fake.messages.keys.first)
                let job = try #require(try await harness.database.recentJobs(limit: 1).first)
                #expect(await fake.messages[replyID]?.hasSuffix("0/2 hosts done") == true)

                try await harness.accept(job, by: "web-01")
                try await harness.finish(job, by: "web-01")
                try await eventually { await fake.messages[replyID]?.hasSuffix("1/2 hosts done: 1 succeeded") == true }
                try await harness.accept(job, by: "web-02")
                try await harness.finish(job, by: "web-02")
                try await eventually { await fake.messages[replyID]?.contains("job \(job.id) ping on 2 hosts: 2 succeeded") == true }
                try await Task.sleep(for: .milliseconds(300))
                #expect(await fake.replies.count == 1, "progress is edits of one reply")
                // Two edits: one per host finished. The engine's first pass re-renders the acknowledgement, which
                // the adapter does not spend one of Feishu's 20 edits on.
                let edits = await fake.edits
                #expect(edits.map(\.path) == Array(repeating: "/open-apis/im/v1/messages/\(replyID)", count: 2), "\(edits.map(\.text))")
            }
        }
    }

    @Test func refusedEditsBecomeFreshRepliesToTheSameMessage() async throws {
        try await FakeFeishu.withServer { fake, url in
            let harness = try await DispatcherHarness(agents: ["web-01", "web-02"])
            try await harness.connect("web-01")
            try await harness.connect("web-02")
            let connection = Self.connection(url)
            let api = try await Self.api(connection)
            defer { api.cleanUp() }
            await fake.refuseAllEdits()
            try await Self.running(connection, harness: harness) {
                let event = FeishuMessageEventTests.event(eventID: "ev_refused", messageID: "om_asker")
                #expect(try await Self.post(api, event, headers: Self.signed(event)).status == .ok)
                try await eventually { await fake.replies.count == 1 }
                let job = try #require(try await harness.database.recentJobs(limit: 1).first)
                try await harness.accept(job, by: "web-01")
                try await harness.finish(job, by: "web-01")
                try await eventually { await fake.replies.count == 2 }
                try await harness.accept(job, by: "web-02")
                try await harness.finish(job, by: "web-02")
                try await eventually { await fake.replies.count == 3 }
                try await Task.sleep(for: .milliseconds(300))
                let replies = await fake.replies
                #expect(replies.count == 3)
                #expect(replies.allSatisfy { $0.path == "/open-apis/im/v1/messages/om_asker/reply" })
                #expect(replies.last?.text?.contains("job \(job.id) ping on 2 hosts: 2 succeeded") == true)
                #expect(await fake.edits.count == 2, "each update tried an edit first")
            }
        }
    }

    @Test func aRefusedSecretShowsOnHealthzWithFeishusReason() async throws {
        try await FakeFeishu.withServer { _, url in
            let connection = Self.connection(url, secret: "not-the-secret")
            let api = try await Self.api(connection)
            defer { api.cleanUp() }
            let harness = try await DispatcherHarness(agents: [])
            let engine = ChatEngine(
                database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: Self.policy), logger: Self.quiet)
            let task = Task { await connection.run(engine: engine) }
            defer { task.cancel() }
            try await eventually { await connection.health.snapshot.authFailure != nil }
            let health = try await api.request(.get, "/healthz", authorization: nil).decode(API.Health.self)
            #expect(health.status == "degraded")
            let feishu = try #require(health.chat?.first)
            #expect(feishu.platform == "feishu")
            #expect(!feishu.healthy)
            #expect(feishu.summary == "credentials refused: app secret invalid")
            task.cancel()
            await task.value
        }
    }
}
