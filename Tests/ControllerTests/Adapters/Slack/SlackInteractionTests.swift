import Foundation
import Testing
@testable import StewardController

/// Approval buttons: Block Kit on the way out, `block_actions` on the way back, only approve/deny accepted.
@Suite("Slack approval buttons", .timeLimit(.minutes(1)))
struct SlackInteractionTests {
    static func pressed(value: String, actionID: String = "steward.command.0", user: String = "U0APPROVER") -> String {
        #"{"type":"block_actions","user":{"id":"\#(user)","username":"carol","team_id":"T1"},"api_app_id":"A1","token":"x","container":{"type":"message","message_ts":"1700000001.000200","channel_id":"C1","is_ephemeral":false,"thread_ts":"1700000000.000100"},"trigger_id":"123.456.abc","team":{"id":"T1"},"channel":{"id":"C1","name":"ops"},"message":{"type":"message","ts":"1700000001.000200","text":"x"},"actions":[{"action_id":"\#(actionID)","block_id":"steward.actions","text":{"type":"plain_text","text":"Approve"},"value":"\#(value)","style":"primary","type":"button","action_ts":"1700000002.123456"}]}"#
    }

    @Test func aPressedApproveButtonIsTheApproveCommandFromThePresser() throws {
        let interaction = try JSONDecoder().decode(SlackInteraction.self, from: Data(Self.pressed(value: "approve 4F2K9Q1Z").utf8))
        let message = try #require(interaction.chatMessage)
        #expect(message.text == "approve 4F2K9Q1Z")
        #expect(message.userID == "U0APPROVER")
        #expect(message.room == "C1")
        #expect(message.thread == "1700000000.000100", "the answer goes to the request's thread")
        #expect(message.eventID == "action:C1:1700000002.123456", "a redelivered press is the same event")
    }

    static let refused: [(String, String)] = [
        ("reboot all", "steward.command.0"),
        ("approve 1 2", "steward.command.0"),
        ("deny", "steward.command.0"),
        ("approve 4F2K9Q1Z", "someone.elses.button"),
    ]

    @Test(arguments: refused) func onlyOurApproveAndDenyButtonsAreTaken(_ value: String, _ actionID: String) throws {
        let interaction = try JSONDecoder().decode(SlackInteraction.self, from: Data(Self.pressed(value: value, actionID: actionID).utf8))
        #expect(interaction.chatMessage == nil)
    }

    @Test func approvalRequestsArePostedWithButtons() async throws {
        try await FakeSlackWebAPI.withServer { fake, url in
            let reply = ChatReply([.text("`reboot` on web-01 needs approval")], actions: [
                ChatAction(label: "Approve", command: "approve T1", style: .primary),
                ChatAction(label: "Deny", command: "deny T1", style: .danger),
            ])
            _ = try await SlackAdapterTests.adapter(url).post(reply, room: "C1", thread: "1.2")
            let blocks = try #require(await fake.calls.first?.body["blocks"])
            #expect(blocks.contains("steward.command.0"))
            #expect(blocks.contains("approve T1"))
            #expect(blocks.contains("deny T1"))
            #expect(blocks.contains("danger"))
            _ = try await SlackAdapterTests.adapter(url).post(.text("plain"), room: "C1", thread: nil)
            #expect(await fake.calls.last?.body["blocks"] == nil, "no buttons, no blocks")
        }
    }

    @Test func aSignedInteractivePostReachesTheEngine() async throws {
        let form = "payload=" + Self.pressed(value: "deny 4F2K9Q1Z").addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        var request = SlackEventsEndpointTests.Request(form)
        request.contentType = "application/x-www-form-urlencoded"
        var forged = SlackEventsEndpointTests.Request(form, signature: "v0=" + String(repeating: "0", count: 64))
        forged.contentType = "application/x-www-form-urlencoded"
        let handed = SlackEventsEndpointTests.Handed()
        let responses = try await SlackEventsEndpointTests.send([request, forged], handed: handed)
        #expect(responses.map(\.status) == [.ok, .unauthorized])
        #expect(handed.all.map(\.text) == ["deny 4F2K9Q1Z"])
    }

    @Test func theEngineOffersApproveAndDenyButtons() async throws {
        let harness = try await DispatcherHarness(agents: ["web-01"])
        let policy = """
            identities:
              - {platform: slack, user: U1, roles: [operator]}
            roles:
              operator:
                rules: [{commands: [reboot], targets: all, approval: {approvers: [approver], expires: 30m}}]
              approver:
                rules: [{commands: [approve, deny], targets: all}]
            """
        let engine = ChatEngine(database: harness.database, dispatcher: harness.dispatcher, policy: try ChatPolicy.parse(yaml: policy),
                                logger: SlackEventsEndpointTests.quiet)
        try await FakeSlackWebAPI.withServer { fake, url in
            await engine.handle(ChatMessage(platform: "slack", room: "C1", thread: "1.1", userID: "U1", displayName: "alice",
                                            text: "reboot web-01", eventID: "Ev9"), via: SlackAdapterTests.adapter(url))
            let blocks = try #require(await fake.calls.first?.body["blocks"])
            #expect(blocks.contains("Approve"))
            #expect(blocks.contains("approve "))
        }
    }
}
