import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
@testable import StewardController

/// The events endpoint driven in process through HummingbirdTesting's `.router` client.
@Suite("Slack events endpoint", .timeLimit(.minutes(1)))
struct SlackEventsEndpointTests {
    static let secret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let bot = SlackBotIdentity(userID: "U0LAN0Z89")
    static let quiet = Logger(label: "test.slack", factory: { _ in SwiftLogNoOpLogHandler() })

    static let mention = SlackEventEnvelopeTests.envelope("""
        {"type":"app_mention","user":"U061F7AUR","text":"<@U0LAN0Z89> ping all","ts":"1700000000.000016",
         "channel":"C123ABC456","event_ts":"1700000000.000016"}
        """, eventID: "Ev0001")

    /// Messages the endpoint handed on.
    final class Handed: Sendable {
        let messages = Mutex<[ChatMessage]>([])
        let accepting: Bool

        init(accepting: Bool = true) {
            self.accepting = accepting
        }

        func take(_ message: ChatMessage) -> Bool {
            messages.withLock { $0.append(message) }
            return accepting
        }

        var all: [ChatMessage] { messages.withLock { $0 } }
    }

    struct Request {
        var body: String
        var timestamp: String? = "1700000000"
        var signature: String?
        var retry: String?
        var contentType = "application/json"

        /// Signed correctly unless `signature` overrides it.
        init(_ body: String, timestamp: String? = "1700000000", signature: String? = nil, retry: String? = nil) {
            self.body = body
            self.timestamp = timestamp
            self.signature = signature ?? SlackSignature.sign(body: Array(body.utf8), timestamp: timestamp ?? "", secret: SlackEventsEndpointTests.secret)
            self.retry = retry
        }

        var headers: HTTPFields {
            var fields: HTTPFields = [.contentType: contentType]
            if let timestamp, let name = HTTPField.Name("X-Slack-Request-Timestamp") { fields[name] = timestamp }
            if let signature, let name = HTTPField.Name("X-Slack-Signature") { fields[name] = signature }
            if let retry, let name = HTTPField.Name("X-Slack-Retry-Num") {
                fields[name] = retry
                if let reason = HTTPField.Name("X-Slack-Retry-Reason") { fields[reason] = "http_timeout" }
            }
            return fields
        }
    }

    static func send(
        _ requests: [Request], handed: Handed = Handed(), health: ChatHealthMonitor = ChatHealthMonitor(name: "slack", platform: "slack", connected: true), maxBodyBytes: Int = 1 << 20,
        metrics: ControllerMetrics = ControllerMetrics()
    ) async throws -> [TestResponse] {
        let router = Router(context: APIRequestContext.self)
        SlackEventsEndpoint(
            signingSecret: secret, bot: bot, maxBodyBytes: maxBodyBytes, health: health, logger: quiet, metrics: metrics, now: { now },
            handler: handed.take
        ).register(on: router)
        let app = Application(router: router, logger: quiet)
        return try await app.test(.router) { client in
            var responses: [TestResponse] = []
            for request in requests {
                responses.append(try await client.execute(
                    uri: "/slack/events", method: .post, headers: request.headers, body: ByteBuffer(string: request.body)))
            }
            return responses
        }
    }

    @Test func urlVerificationAnswersTheChallenge() async throws {
        let body = #"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
        let response = try #require(try await Self.send([Request(body)]).first)
        #expect(response.status == .ok)
        #expect(String(buffer: response.body) == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
        #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
    }

    @Test func anUnsignedUrlVerificationIsRefused() async throws {
        let body = #"{"challenge":"abc","type":"url_verification"}"#
        let response = try #require(try await Self.send([Request(body, signature: "v0=" + String(repeating: "ab", count: 32))]).first)
        #expect(response.status == .unauthorized)
        #expect(String(buffer: response.body).contains("abc") == false)
    }

    @Test func aSignedAppMentionReachesTheHandler() async throws {
        let handed = Handed()
        let health = ChatHealthMonitor(name: "slack", platform: "slack", connected: true, now: { Self.now })
        let response = try #require(try await Self.send([Request(Self.mention)], handed: handed, health: health).first)
        #expect(response.status == .ok)
        #expect(response.body.readableBytes == 0)
        #expect(handed.all == [ChatMessage(
            platform: "slack", room: "C123ABC456", thread: "1700000000.000016", userID: "U061F7AUR", displayName: "U061F7AUR",
            text: "ping all", eventID: "Ev0001", isDirect: false)])
        #expect(await health.snapshot.lastEventAt == Self.now)
    }

    @Test func forgedStaleAndReplayedRequestsAreRejectedAndNothingIsHandedOn() async throws {
        let handed = Handed()
        let health = ChatHealthMonitor(name: "slack", platform: "slack", connected: true)
        let signed = Request(Self.mention)
        let otherBody = Self.mention.replacingOccurrences(of: "ping all", with: "reboot all")
        let staleBody = Self.mention.replacingOccurrences(of: "Ev0001", with: "Ev0002")
        let requests = [
            Request(Self.mention, signature: "v0=" + String(repeating: "0", count: 64)),  // forged
            Request(staleBody, timestamp: "1699999640"),  // signed 6 minutes ago
            Request(staleBody, timestamp: "1700000360"),  // signed 6 minutes ahead
            Request(otherBody, signature: signed.signature),  // a captured signature on another body
            Request(Self.mention, timestamp: nil),
            Request(Self.mention, signature: ""),
            Request(Self.mention, signature: "v0=nothex"),
        ]
        let metrics = ControllerMetrics()
        let responses = try await Self.send(requests, handed: handed, health: health, metrics: metrics)
        #expect(responses.map(\.status) == Array(repeating: .unauthorized, count: requests.count))
        #expect(handed.all.isEmpty)
        #expect(await health.snapshot.rejectedRequests == requests.count)
        // Each refusal counted once, under its reason: forged, another body's signature and non-hex; two stale; two unsigned.
        #expect(metrics.rejections(.slack, .badSignature) == 3)
        #expect(metrics.rejections(.slack, .staleTimestamp) == 2)
        #expect(metrics.rejections(.slack, .unsigned) == 2)
    }

    @Test func malformedJSONWithAValidSignatureIsABadRequest() async throws {
        let handed = Handed()
        let responses = try await Self.send([Request("{not json"), Request(#"{"type":"event_callback","event":[]}"#)], handed: handed)
        #expect(responses.map(\.status) == [.badRequest, .badRequest])
        #expect(handed.all.isEmpty)
    }

    @Test func anOversizedBodyIsRefusedBeforeVerification() async throws {
        let handed = Handed()
        let big = Self.mention.replacingOccurrences(of: "ping all", with: "ping " + String(repeating: "a", count: 2048))
        let responses = try await Self.send([Request(big)], handed: handed, maxBodyBytes: 1024)
        #expect(responses.first?.status == .contentTooLarge)
        #expect(handed.all.isEmpty)
    }

    @Test func eventsThatAreNotCommandsAreAcknowledgedButNotHandedOn() async throws {
        let handed = Handed()
        let ownPost = SlackEventEnvelopeTests.envelope(
            #"{"type":"message","user":"U0LAN0Z89","text":"!ping all","ts":"1.2","channel":"C1"}"#, eventID: "Ev0003")
        let rateLimited = #"{"token":"x","team_id":"T1","minute_rate_limited":1518467820,"api_app_id":"A1","type":"app_rate_limited"}"#
        let responses = try await Self.send([Request(ownPost), Request(rateLimited)], handed: handed)
        #expect(responses.map(\.status) == [.ok, .ok])
        #expect(handed.all.isEmpty)
    }

    @Test func aFullQueueIsNotAcknowledgedSoSlackRetries() async throws {
        let responses = try await Self.send([Request(Self.mention)], handed: Handed(accepting: false))
        #expect(responses.first?.status == .serviceUnavailable)
    }

    @Test func theInboxQueuesUpToItsCapacity() async throws {
        let inbox = ChatInbox(capacity: 1)
        let message = ChatMessage(platform: "slack", room: "C1", userID: "U1", displayName: "U1", text: "ping all", eventID: "Ev1")
        #expect(inbox.deliver(message))
        #expect(!inbox.deliver(message))
        inbox.finish()
        #expect(!inbox.deliver(message))
    }
}
