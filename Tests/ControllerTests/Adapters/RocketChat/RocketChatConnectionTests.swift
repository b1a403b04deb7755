import Foundation
import Testing
@testable import StewardController

/// The Rocket.Chat adapter against a fake server over real sockets: commands over the Realtime API, threaded replies,
/// live edits by `chat.update`, direct rooms, reconnects without running anything twice, refused credentials shown
/// with the server's reason, and hostile frames that neither run anything nor drop the connection.
@Suite("Rocket.Chat adapter", .timeLimit(.minutes(1)))
struct RocketChatConnectionTests {
    typealias Fake = FakeRocketChat

    @Test func aMentionInAChannelRunsOnceRepliesInItsThreadAndEditsWithChatUpdate() async throws {
        let harness = try await DispatcherHarness(agents: ["web-01", "web-02"])
        try await harness.connect("web-01")
        try await harness.connect("web-02")
        let ask = Fake.message(id: "cmdAAAAAAAAAAAAA1", text: "@steward ping all", roomFacts: true)
        let fake = Fake(scripts: [[.send(ask)]])
        try await Fake.withServer(fake) { url, http in
            let connection = RocketChatTestSupport.connection(url, http: http)
            try await RocketChatTestSupport.running(connection, harness: harness) {
                try await eventually { await fake.posts.count == 1 }
                let post = try #require(await fake.posts.first)
                #expect(post.roomID == Fake.general)
                #expect(post.threadID == "cmdAAAAAAAAAAAAA1", "the reply starts a thread on the command")
                #expect(post.text.contains("`ping` on 2 hosts, asked by alice"), "\(post.text)")
                let job = try #require(try await harness.database.recentJobs(limit: 5).first)
                try await harness.accept(job, by: "web-01")
                _ = try await harness.finish(job, by: "web-01")
                try await harness.accept(job, by: "web-02")
                _ = try await harness.finish(job, by: "web-02")
                try await eventually { await fake.updates.last?.text.contains("2 succeeded") == true }
                let updates = await fake.updates
                #expect(updates.allSatisfy { $0.roomID == Fake.general && $0.messageID == "reply1AAAAAAAAAA" }, "edits replace the one reply")
                #expect(await fake.posts.count == 1, "progress is edited in, never posted again")
                #expect(try await harness.database.recentJobs(limit: 5).count == 1)
                #expect(await connection.health.snapshot.isHealthy)
            }
        }
    }

    @Test func directRoomsNeedNoMentionAndAreLookedUpOnce() async throws {
        let fake = Fake(scripts: [[
            .send(Fake.message(id: "dmAAAAAAAAAAAAAA1", room: Fake.direct, text: "whoami")),
            .send(Fake.message(id: "dmAAAAAAAAAAAAAA2", room: Fake.direct, text: "help ping")),
            .send(Fake.message(id: "grpAAAAAAAAAAAAA1", room: "GROUPDM", text: "lunch at noon?")),
            .send(Fake.message(id: "grpAAAAAAAAAAAAA2", room: "GROUPDM", text: "@steward whoami")),
        ]])
        try await Fake.withServer(fake) { url, http in
            try await RocketChatTestSupport.running(RocketChatTestSupport.connection(url, http: http)) {
                try await eventually { await fake.posts.count == 3 }
                try await Task.sleep(for: .milliseconds(200))
                let posts = await fake.posts
                #expect(posts.count == 3, "a group DM of three is a channel: chatter there is not a command")
                // Commands run concurrently, so replies may land in any order.
                let byThread = Dictionary(posts.map { ($0.threadID ?? "", $0) }, uniquingKeysWith: { first, _ in first })
                #expect(byThread.keys.sorted() == ["dmAAAAAAAAAAAAAA1", "dmAAAAAAAAAAAAAA2", "grpAAAAAAAAAAAAA2"])
                #expect(byThread["dmAAAAAAAAAAAAAA1"] == .init(
                    roomID: Fake.direct, text: "you are rocketchat:\(Fake.alice) (alice); roles: operator", threadID: "dmAAAAAAAAAAAAAA1"))
                #expect(byThread["dmAAAAAAAAAAAAAA2"]?.text.hasPrefix("usage: ping") == true)
                #expect(byThread["grpAAAAAAAAAAAAA2"]?.roomID == "GROUPDM")
                #expect(await fake.roomLookups == [Fake.direct, "GROUPDM"], "rooms.info once per room")
            }
        }
    }

    @Test func aMessageRedeliveredAfterAReconnectIsAnsweredOnce() async throws {
        let ask = Fake.message(id: "cmdAAAAAAAAAAAAA1", text: "@steward whoami")
        let next = Fake.message(id: "cmdAAAAAAAAAAAAA2", text: "steward: whoami", thread: "cmdAAAAAAAAAAAAA1")
        let fake = Fake(scripts: [[.send(ask), .close], [.send(ask), .send(next)]])
        try await Fake.withServer(fake) { url, http in
            let connection = RocketChatTestSupport.connection(url, http: http)
            try await RocketChatTestSupport.recording(connection) { handed in
                try await eventually { handed.all.count == 2 }
                try await Task.sleep(for: .milliseconds(200))
                #expect(handed.all.map(\.eventID) == ["cmdAAAAAAAAAAAAA1", "cmdAAAAAAAAAAAAA2"])
                #expect(handed.all.map(\.thread) == ["cmdAAAAAAAAAAAAA1", "cmdAAAAAAAAAAAAA1"], "a command in a thread is answered there")
                #expect(handed.all.allSatisfy { $0.actor == "rocketchat:\(Fake.alice)" && $0.text == "whoami" })
                #expect(await fake.sessions == 2)
                let health = await connection.health.snapshot
                #expect(health.isHealthy)
                #expect(health.reconnects == 1)
            }
        }
    }

    @Test func theBotsOwnSystemEditedAndIntegrationMessagesAreIgnored() async throws {
        let command = "@steward whoami"
        let fake = Fake(scripts: [[
            .send(Fake.message(id: "ownAAAAAAAAAAAAA", text: command, user: Fake.botID, username: "steward")),
            .send(Fake.message(id: "sysAAAAAAAAAAAAA", text: "alice", extra: #","t":"uj""#)),
            .send(Fake.message(id: "edtAAAAAAAAAAAAA", text: command, extra: #","editedAt":{"$date":1700000000500}"#)),
            .send(Fake.message(id: "botAAAAAAAAAAAAA", text: command, extra: #","bot":{"i":"JMaJ3zXqbYr9Ejpqs"}"#)),
            .send(Fake.message(id: "chtAAAAAAAAAAAAA", text: "ask steward later")),
            .send(Fake.message(id: "runAAAAAAAAAAAAA", text: command)),
            .send(Fake.message(id: "runAAAAAAAAAAAAA", text: command + " again", extra: #","editedAt":{"$date":1700000000900}"#)),
        ]])
        try await Fake.withServer(fake) { url, http in
            try await RocketChatTestSupport.recording(RocketChatTestSupport.connection(url, http: http)) { handed in
                try await eventually { handed.all.count == 1 }
                try await Task.sleep(for: .milliseconds(300))
                #expect(handed.all.map(\.eventID) == ["runAAAAAAAAAAAAA"], "only the plain command, and its edit does not run it twice")
            }
        }
    }

    @Test func aRevokedTokenOnMeIsRefusedCredentialsWithRocketChatsReason() async throws {
        let fake = Fake()
        try await Fake.withServer(fake) { url, http in
            let connection = RocketChatTestSupport.connection(url, http: http, token: "revoked-token")
            try await RocketChatTestSupport.running(connection) {
                try await eventually { await connection.health.snapshot.authFailure != nil }
                let health = await connection.health.snapshot
                #expect(health.summary == "credentials refused: You must be logged in to do this.")
                #expect(!health.isHealthy)
                #expect(await fake.sessions == 0, "no Realtime API session without a valid token")
            }
        }
    }

    @Test func aLoginRefusedOverDDPIsRefusedCredentials() async throws {
        let fake = Fake(refusedLogins: 1000)
        try await Fake.withServer(fake) { url, http in
            let connection = RocketChatTestSupport.connection(url, http: http)
            try await RocketChatTestSupport.running(connection) {
                try await eventually { await connection.health.snapshot.authFailure != nil }
                let health = await connection.health.snapshot
                #expect(health.summary == "credentials refused: \(Fake.loggedOut)")
                #expect(!health.connected)
                #expect(await fake.subscribed == 0)
            }
        }
    }

    @Test func aRefusedLoginIsRetriedAndRecovers() async throws {
        let fake = Fake(refusedLogins: 1)
        try await Fake.withServer(fake) { url, http in
            let connection = RocketChatTestSupport.connection(url, http: http)
            try await RocketChatTestSupport.running(connection) {
                try await eventually { await connection.health.snapshot.isHealthy }
                #expect(await fake.sessions == 2)
                #expect(await fake.subscribed == 1)
            }
        }
    }

    @Test func nosubIsUnhealthyAndReconnects() async throws {
        let refusing = Fake(refusedSubscriptions: 1000)
        try await Fake.withServer(refusing) { url, http in
            let connection = RocketChatTestSupport.connection(url, http: http)
            try await RocketChatTestSupport.running(connection) {
                try await eventually { await refusing.sessions >= 3 }
                let health = await connection.health.snapshot
                #expect(!health.isHealthy)
                #expect(health.summary == "disconnected: the server ended the message subscription: Not allowed")
            }
        }
        let once = Fake(refusedSubscriptions: 1)
        try await Fake.withServer(once) { url, http in
            let connection = RocketChatTestSupport.connection(url, http: http)
            try await RocketChatTestSupport.running(connection) {
                try await eventually { await connection.health.snapshot.isHealthy }
                #expect(await once.sessions == 2)
                #expect(await connection.health.snapshot.lastError == "the server ended the message subscription: Not allowed")
            }
        }
    }

    @Test func serverPingsAreAnsweredWithPong() async throws {
        let fake = Fake(scripts: [[.ping(id: "hb1"), .send(#"{"msg":"ping"}"#), .ping(id: "hb2")]])
        try await Fake.withServer(fake) { url, http in
            try await RocketChatTestSupport.running(RocketChatTestSupport.connection(url, http: http)) {
                try await eventually { await fake.pongs.contains("hb2") }
                #expect(await fake.pongs == ["hb1", "", "hb2"])
            }
        }
    }

    @Test func hostileFramesAreLoggedAndIgnoredAndTheConnectionSurvives() async throws {
        let recorder = RocketChatLogRecorder()
        let hostile = [
            "not json at all",
            "[1,2,3]",
            #"{"msg":"result"}"#,
            #"{"msg":"changed","collection":"stream-room-messages","fields":{"eventName":"__my_messages__","args":[42]}}"#,
            #"{"msg":"changed","collection":"stream-room-messages","fields":{"eventName":"__my_messages__","args":[{"_id":"x","rid":"GENERAL","msg":"@steward ping all"}]}}"#,
            Fake.message(id: "../../etc/passwd", text: "@steward whoami"),
            Fake.message(id: "okIdAAAAAAAAAAAA1", room: "GEN ERAL", text: "@steward whoami"),
            Fake.message(id: "okIdAAAAAAAAAAAA2", text: "@steward " + String(repeating: "a", count: 20_000)),
            #"{"msg":"added","collection":"users","id":"u1","fields":{"username":"mallory"}}"#,
            #"{"msg":"error","reason":"Bad request\n[critical] forged line"}"#,
        ]
        let good = Fake.message(id: "goodAAAAAAAAAAAA", text: "@steward whoami")
        let fake = Fake(scripts: [hostile.map(Fake.Step.send) + [.send(good)]])
        try await Fake.withServer(fake) { url, http in
            let connection = RocketChatTestSupport.connection(url, http: http, logger: recorder.logger)
            try await RocketChatTestSupport.recording(connection) { handed in
                try await eventually { handed.all.count == 1 }
                try await Task.sleep(for: .milliseconds(200))
                #expect(handed.all.map(\.eventID) == ["goodAAAAAAAAAAAA"])
                #expect(await fake.sessions == 1, "hostile frames never drop the connection")
                #expect(await connection.health.snapshot.isHealthy)
            }
        }
        let entries = recorder.entries
        let frames = entries.filter { $0.message == "ignored a malformed Realtime API frame" }
        #expect(frames.map { $0.metadata["reason"]?.description ?? "" } == [
            "not a DDP frame: not JSON", "not a DDP frame: not a JSON object", "a result without an id",
            "not a DDP frame: 'fields.args[0]' has the wrong type", "not a DDP frame: 'fields.args[0].u' is missing",
        ])
        let messages = entries.filter { $0.message == "ignored a malformed Rocket.Chat message" }
        #expect(messages.map { $0.metadata["reason"]?.description ?? "" } == [
            "a message id that is not a Rocket.Chat id", "a room id that is not a Rocket.Chat id",
            "a message of 20009 characters, longer than any command",
        ])
        #expect(entries.contains { $0.message == "Rocket.Chat Realtime API: the server could not read a frame: Bad request [critical] forged line" })
        #expect(entries.allSatisfy { $0.level != .error && $0.level != .critical })
        let everything = entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!everything.contains(Fake.token), "the token never reaches the log")
    }
}
