import Foundation
import Testing
@testable import StewardController

/// Socket Mode against a fake Slack: ack every envelope, reconnect on `disconnect`, a redelivery runs nothing twice.
@Suite("Slack Socket Mode", .timeLimit(.minutes(1)))
struct SlackSocketModeTests {
    static func connection(_ url: String, appToken: String = FakeSlackSocketMode.appToken) -> SlackConnection {
        SlackConnection(
            settings: .init(name: "slack", mode: .socket, botToken: FakeSlackWebAPI.token, appToken: appToken, signingSecret: "",
                            apiURL: url, eventsPath: "/slack/events", names: ["steward"], prefix: "!"),
            logger: SlackEventsEndpointTests.quiet)
    }

    @Test func envelopesAreAckedAndARefreshReconnectsWithoutRunningARedeliveryTwice() async throws {
        let first = FakeSlackSocketMode.mention(envelope: "env-1", eventID: "Ev1", text: "whoami")
        let redelivered = FakeSlackSocketMode.mention(envelope: "env-1b", eventID: "Ev1", text: "whoami", retry: 1)
        let second = FakeSlackSocketMode.mention(envelope: "env-2", eventID: "Ev2", text: "whoami")
        let fake = FakeSlackSocketMode(scripts: [
            [.send(first), .awaitAck("env-1"), .send(#"{"type":"slash_commands","envelope_id":"env-s","payload":{"command":"/steward","text":"whoami","user_id":"U061F7AUR","channel_id":"C2","trigger_id":"13345224609.738474920.8088930838d88f008e0"}}"#),
             .awaitAck("env-s"), .disconnect(reason: "refresh_requested")],
            [.send(redelivered), .send(second), .awaitAck("env-2")],
        ])
        try await FakeSlackSocketMode.withServer(fake) { url in
            let connection = Self.connection(url)
            try await SlackConnectionTests.running(connection) {
                try await eventually { await fake.acks.count == 4 }
                try await eventually {
                    await fake.web.calls.filter { $0.method == "chat.postMessage" }.count >= 3
                }
                // Give a wrongly duplicated reply the time to show up before counting.
                try await Task.sleep(for: .milliseconds(200))
                #expect(await fake.acks == ["env-1", "env-s", "env-1b", "env-2"])
                #expect(await fake.opened == 2, "a refresh_requested disconnect opens a new session")
                let posts = await fake.web.calls.filter { $0.method == "chat.postMessage" }
                #expect(posts.count == 3, "Ev1 once although delivered twice, the slash command, Ev2")
                #expect(posts.map { $0.body["channel"] ?? "" }.sorted() == ["C1", "C1", "C2"])
                let health = await connection.health.snapshot
                #expect(health.connected)
                #expect(health.reconnects == 0, "a refresh Slack asked for is not an outage")
            }
        }
    }

    @Test func aRefusedAppTokenIsUnhealthyWithTheReason() async throws {
        let fake = FakeSlackSocketMode(scripts: [])
        try await FakeSlackSocketMode.withServer(fake) { url in
            let connection = Self.connection(url, appToken: "xapp-revoked")
            try await SlackConnectionTests.running(connection) {
                try await eventually { await connection.health.snapshot.authFailure != nil }
                let health = await connection.health.snapshot
                #expect(health.summary == "credentials refused: invalid_auth")
                #expect(await fake.opened == 0)
            }
        }
    }

    @Test func linkDisabledMarksTheConnectionUnhealthy() async throws {
        let fake = FakeSlackSocketMode(scripts: [[.disconnect(reason: "link_disabled")]])
        try await FakeSlackSocketMode.withServer(fake) { url in
            let connection = Self.connection(url)
            try await SlackConnectionTests.running(connection) {
                try await eventually { await connection.health.snapshot.authFailure != nil }
                #expect(await connection.health.snapshot.authFailure?.contains("link_disabled") == true)
            }
        }
    }

    static let frames: [String] = [
        "", "null", "[]", #"{"envelope_id":"x"}"#, #"{"type":"events_api","envelope_id":""}"#,
        #"{"type":"events_api","envelope_id":"\#(String(repeating: "a", count: 300))"}"#,
    ]

    @Test(arguments: frames) func malformedFramesAreRefused(_ frame: String) {
        #expect(throws: SlackError.self) { try SlackSocketEnvelope.parse(frame) }
    }

    @Test func unknownPayloadsStillGetAcknowledged() throws {
        let envelope = try SlackSocketEnvelope.parse(#"{"type":"interactive","envelope_id":"e9","payload":{"type":"block_actions","actions":[]}}"#)
        #expect(envelope.envelopeID == "e9")
        #expect(envelope.payload == nil)
        #expect(SlackSocketEnvelope.acknowledgement("e9") == #"{"envelope_id":"e9"}"#)
    }
}
