import Foundation
import Testing
@testable import StewardController

@Suite("Slack event payloads to chat messages")
struct SlackEventEnvelopeTests {
    static let bot = SlackBotIdentity(userID: "U0LAN0Z89")

    /// An `event_callback` around `event`, shaped like Slack's documented app_mention example.
    static func envelope(_ event: String, eventID: String = "Ev123ABC456") -> String {
        """
        {"token":"XXYYZZ","team_id":"T123ABC456","api_app_id":"A123ABC456","event":\(event),"type":"event_callback",
         "authorizations":[{"team_id":"T123ABC456","user_id":"U123ABC456","is_bot":false,"is_enterprise_install":false}],
         "event_id":"\(eventID)","event_time":1515449522}
        """
    }

    func message(_ event: String) throws -> ChatMessage? {
        try SlackEventEnvelope.parse(Array(Self.envelope(event).utf8)).chatMessage(bot: Self.bot)
    }

    @Test func anAppMentionBecomesAThreadedMessage() throws {
        let message = try #require(try message("""
            {"type":"app_mention","user":"U061F7AUR","text":"<@U0LAN0Z89> metrics web-*","ts":"1515449522.000016",
             "channel":"C123ABC456","event_ts":"1515449522.000016"}
            """))
        #expect(message == ChatMessage(
            platform: "slack", room: "C123ABC456", thread: "1515449522.000016", userID: "U061F7AUR", displayName: "U061F7AUR",
            text: "metrics web-*", eventID: "Ev123ABC456", isDirect: false))
    }

    @Test func aReplyInAThreadStaysInThatThread() throws {
        let message = try #require(try message("""
            {"type":"app_mention","user":"U061F7AUR","text":"<@U0LAN0Z89>: ping all","ts":"1515449600.000100",
             "thread_ts":"1515449522.000016","channel":"C123ABC456"}
            """))
        #expect(message.thread == "1515449522.000016")
        #expect(message.text == "ping all")
    }

    @Test func aDirectMessageNeedsNoAddress() throws {
        let message = try #require(try message("""
            {"type":"message","user":"U061F7AUR","text":"status nginx on web-01","ts":"1664408649.009629",
             "channel":"D0442US94JD","channel_type":"im"}
            """))
        #expect(message.isDirect)
        #expect(message.text == "status nginx on web-01")
        #expect(message.room == "D0442US94JD")
    }

    @Test func aPrefixCommandInAChannelIsTaken() throws {
        let message = try #require(try message("""
            {"type":"message","user":"U061F7AUR","text":"!ping all","ts":"1.2","channel":"C1","channel_type":"channel"}
            """))
        #expect(message.text == "ping all")
    }

    @Test func slackEntitiesAreDecodedInCommands() throws {
        let message = try #require(try message("""
            {"type":"app_mention","user":"U1","text":"<@U0LAN0Z89> run grep &lt;a &amp; b&gt; on web-01","ts":"1.2","channel":"C1"}
            """))
        #expect(message.text == "run grep <a & b> on web-01")
    }

    @Test(arguments: [
        // Bot posts, our own included, would make the bot answer itself.
        #"{"type":"message","user":"U0LAN0Z89","text":"!ping all","ts":"1.2","channel":"C1"}"#,
        #"{"type":"message","bot_id":"B1","user":"U9","text":"!ping all","ts":"1.2","channel":"C1"}"#,
        #"{"type":"app_mention","bot_id":"B1","user":"U9","text":"<@U0LAN0Z89> ping all","ts":"1.2","channel":"C1"}"#,
        // Edits and other subtypes are not new commands.
        #"{"type":"message","subtype":"message_changed","user":"U1","text":"!ping all","ts":"1.2","channel":"C1"}"#,
        #"{"type":"message","subtype":"channel_join","user":"U1","text":"!ping all","ts":"1.2","channel":"C1"}"#,
        // Not addressed to the bot.
        #"{"type":"message","user":"U1","text":"ask steward later","ts":"1.2","channel":"C1","channel_type":"channel"}"#,
        // Mentions in channels arrive again as app_mention; only that copy is taken.
        #"{"type":"message","user":"U1","text":"<@U0LAN0Z89> ping all","ts":"1.2","channel":"C1","channel_type":"channel"}"#,
        // Other event types and incomplete events.
        #"{"type":"reaction_added","user":"U1","ts":"1.2"}"#,
        #"{"type":"app_mention","text":"<@U0LAN0Z89> ping all","ts":"1.2","channel":"C1"}"#,
        #"{"type":"app_mention","user":"U1","text":"<@U0LAN0Z89> ping all","channel":"C1"}"#,
        #"{"type":"app_mention","user":"U1","text":"<@U0LAN0Z89> ping all","ts":"1.2"}"#,
        #"{"type":"app_mention","user":"","text":"<@U0LAN0Z89> ping all","ts":"1.2","channel":"C1"}"#,
    ])
    func eventsThatAreNotCommandsAreIgnored(event: String) throws {
        #expect(try message(event) == nil)
    }

    @Test func anEnvelopeWithoutAnEventIDIsIgnored() throws {
        let body = #"{"type":"event_callback","event":{"type":"app_mention","user":"U1","text":"<@U0LAN0Z89> ping all","ts":"1.2","channel":"C1"}}"#
        #expect(try SlackEventEnvelope.parse(Array(body.utf8)).chatMessage(bot: Self.bot) == nil)
    }

    @Test(arguments: ["", "{", "[]", "null", #"{"challenge":"x"}"#, #"{"type":7}"#, #"{"type":"event_callback","event":{"text":"x"}}"#])
    func malformedPayloadsAreRejected(body: String) {
        #expect(throws: SlackError.self) { try SlackEventEnvelope.parse(Array(body.utf8)) }
    }
}
