import Foundation
import Testing
@testable import StewardController

/// The Mattermost adapter against a fake server: commands over the WebSocket, threaded replies, live edits by
/// patch, reconnects, a redelivered post handled once, and a revoked token shown with its reason.
@Suite("Mattermost adapter", .timeLimit(.minutes(1)))
struct MattermostConnectionTests {
    static let policy = """
        identities:
          - {platform: mattermost, user: alice00000000000000000000, roles: [viewer]}
        roles:
          viewer:
            rules: [{commands: [ping, metrics, agents], targets: all}]
        """

    static func connection(_ url: String, token: String = FakeMattermost.token) -> MattermostConnection {
        MattermostConnection(
            settings: .init(name: "mm", serverURL: url, token: token, names: ["steward"], prefix: "!"),
            logger: SlackEventsEndpointTests.quiet)
    }

    @Test func commandsAreAnsweredInTheirThreadOnceAcrossReconnects() async throws {
        let ask = FakeMattermost.posted(id: "p1", user: "alice00000000000000000000", message: "@steward whoami")
        let own = FakeMattermost.posted(id: "p2", user: FakeMattermost.botID, message: "@steward whoami")
        let chatter = FakeMattermost.posted(id: "p3", user: "alice00000000000000000000", message: "lunch?")
        let direct = FakeMattermost.posted(id: "p4", user: "alice00000000000000000000", channel: "dm1", message: "whoami", channelType: "D")
        let fake = FakeMattermost(scripts: [[ask, own, chatter], [ask, direct]])
        try await FakeMattermost.withServer(fake) { url in
            let connection = Self.connection(url)
            try await SlackConnectionTests.running(connection, policy: Self.policy) {
                try await eventually { await fake.posts.count >= 2 } 
                try await eventually { await fake.sessions >= 3 }
                try await Task.sleep(for: .milliseconds(200))
                let posts = await fake.posts
                #expect(posts.count == 2, "p1 once although delivered twice; the bot's own post and chatter ignored")
                #expect(posts.first?.channel == "chan1")
                #expect(posts.first?.rootID == "p1", "the reply starts a thread on the asker's post")
                #expect(posts.first?.message == "you are mattermost:alice00000000000000000000 (alice); roles: viewer")
                #expect(posts.last?.channel == "dm1", "a direct message needs no mention")
                let health = await connection.health.snapshot
                #expect(health.connected)
                #expect(health.reconnects >= 2)
            }
        }
    }

    @Test func postsMadeWhileDisconnectedAreReplayedWhenTheStreamResumes() async throws {
        let ask = FakeMattermost.posted(id: "p1", user: "alice00000000000000000000", message: "@steward whoami")
        let missed = FakeMattermost.posted(id: "p5", user: "alice00000000000000000000", channel: "chan2", message: "@steward whoami")
        let fake = FakeMattermost(sessions: [.init(live: [ask], afterClose: [missed])])
        try await FakeMattermost.withServer(fake) { url in
            try await SlackConnectionTests.running(Self.connection(url), policy: Self.policy) {
                try await eventually { await fake.posts.count >= 2 }
                let posts = await fake.posts
                #expect(posts.map(\.channel) == ["chan1", "chan2"], "the post made during the outage was answered")
                #expect(posts.last?.rootID == "p5")
                let queries = await fake.queries
                #expect(queries.first == "")
                // hello was seq 0 and p1 seq 1: the stream resumes at 2.
                #expect(queries.dropFirst().first == "connection_id=conn1&sequence_number=2")
            }
        }
    }

    @Test func aStreamTheServerForgotStartsAfreshAndTheBotKeepsWorking() async throws {
        let ask = FakeMattermost.posted(id: "p1", user: "alice00000000000000000000", message: "@steward whoami")
        let lost = FakeMattermost.posted(id: "p5", user: "alice00000000000000000000", channel: "chan2", message: "@steward whoami")
        let later = FakeMattermost.posted(id: "p6", user: "alice00000000000000000000", channel: "chan3", message: "@steward whoami")
        let fake = FakeMattermost(sessions: [.init(live: [ask], afterClose: [lost], restart: true), .init(live: [later])])
        try await FakeMattermost.withServer(fake) { url in
            try await SlackConnectionTests.running(Self.connection(url), policy: Self.policy) {
                try await eventually { await fake.posts.count >= 2 }
                try await eventually { await fake.queries.count >= 3 }
                #expect(await fake.posts.map(\.channel) == ["chan1", "chan3"], "p5 died with the server's queue")
                let queries = await fake.queries
                // The new stream's hello (conn2, seq 0) and p6 (seq 1): the next resume starts at 2 of conn2.
                #expect(Array(queries.prefix(3)) == ["", "connection_id=conn1&sequence_number=2", "connection_id=conn2&sequence_number=2"])
            }
        }
    }

    @Test func theResumePointFollowsSequenceNumbersAndConnectionIDs() {
        var resume = MattermostResume()
        #expect(resume.query == nil, "nothing to resume before the first hello")
        #expect(resume.received(sequence: 0, helloConnectionID: "abc") == .accept)
        #expect(resume.received(sequence: 1, helloConnectionID: nil) == .accept)
        #expect(resume.query == "connection_id=abc&sequence_number=2")
        #expect(resume.received(sequence: 4, helloConnectionID: nil) == .reconnect(expected: 2, got: 4))
        #expect(resume.query == "connection_id=abc&sequence_number=2", "a gap does not move the resume point")
        #expect(resume.received(sequence: 2, helloConnectionID: nil) == .accept)
        #expect(resume.received(sequence: 0, helloConnectionID: "def") == .acceptAfterLoss)
        #expect(resume.query == "connection_id=def&sequence_number=1")
        #expect(resume.received(sequence: nil, helloConnectionID: nil) == .accept, "an event without seq changes nothing")
        var hostile = MattermostResume()
        _ = hostile.received(sequence: 0, helloConnectionID: "a&b=c d")
        #expect(hostile.query == "connection_id=abcd&sequence_number=1", "a connection id cannot inject query parameters")
    }

    @Test func aRevokedTokenIsUnhealthyWithTheServersReason() async throws {
        let fake = FakeMattermost(scripts: [])
        try await FakeMattermost.withServer(fake) { url in
            let connection = Self.connection(url, token: "revoked")
            try await SlackConnectionTests.running(connection) {
                try await eventually { await connection.health.snapshot.authFailure != nil }
                #expect(await connection.health.snapshot.summary == "credentials refused: api.context.session_expired.app_error")
                #expect(await fake.sessions == 0, "no WebSocket without a valid token")
            }
        }
    }

    @Test func editsPatchThePost() async throws {
        let fake = FakeMattermost(scripts: [])
        try await FakeMattermost.withServer(fake) { url in
            let adapter = MattermostAdapter(client: MattermostClient(serverURL: url, token: FakeMattermost.token))
            let posted = try await adapter.post(.text("running…"), room: "chan1", thread: "p9")
            try await adapter.edit(posted, with: ChatReply([.text("done"), .code("web-01 ok")]))
            #expect(await fake.patches.map(\.id) == [posted.messageID])
            #expect(await fake.patches.first?.message == "done\n```\nweb-01 ok\n```")
        }
    }

    static let ignored: [String] = [
        FakeMattermost.posted(id: "s1", user: "u1", message: "@steward ping all", type: "system_join_channel"),
        FakeMattermost.posted(id: "", user: "u1", message: "@steward ping all"),
        #"{"event":"posted","data":{"post":"not json"}}"#,
        #"{"event":"typing","data":{}}"#,
        FakeMattermost.posted(id: "m1", user: "u1", message: "ask steward later"),
        // Another user whose name starts with the bot's: not a mention of the bot.
        FakeMattermost.posted(id: "m2", user: "u1", message: "@stewardess ping all"),
        FakeMattermost.posted(id: "m3", user: "u1", message: "@steward.bot ping all"),
    ]

    @Test(arguments: ignored) func eventsThatAreNotCommandsAreIgnored(_ text: String) {
        let event = MattermostEvent.parse(text)
        #expect(event?.chatMessage(botID: FakeMattermost.botID, botUsername: "steward", names: ["steward"], prefix: "!") == nil)
    }

    @Test func mentionFormsAndPrefixAreCommands() throws {
        for (text, command) in [
            ("@steward metrics all", "metrics all"), ("@steward: metrics all", "metrics all"), ("@STEWARD metrics all", "metrics all"),
            ("steward: metrics all", "metrics all"), ("!metrics all", "metrics all"),
        ] {
            let event = try #require(MattermostEvent.parse(FakeMattermost.posted(id: "x", user: "u1", message: text, root: "r1")))
            let message = try #require(event.chatMessage(botID: FakeMattermost.botID, botUsername: "steward", names: ["steward"], prefix: "!"))
            #expect(message.text == command)
            #expect(message.thread == "r1", "a reply inside a thread stays in it")
            #expect(message.eventID == "x")
        }
    }
}
