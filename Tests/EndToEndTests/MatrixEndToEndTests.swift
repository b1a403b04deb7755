import Foundation
import Testing

/// The Matrix adapter against a real Synapse, a real controller and a real agent: alice asks in a room, the
/// bot answers and edits its reply as the run progresses; Synapse is killed and restarted mid-conversation,
/// then the controller is restarted; the bot keeps answering and no command runs twice.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct MatrixEndToEndTests {
    static let policy = """
        identities:
          - {platform: matrix, user: "@alice:localhost", roles: [viewer]}
        roles:
          viewer:
            rules:
              - {commands: [ping, facts, metrics, agents, history, job], targets: all}
        """

    struct Health: Decodable {
        struct Chat: Decodable { var platform: String; var connected: Bool; var healthy: Bool; var reconnects: Int; var summary: String }
        var chat: [Chat]?
    }

    @Test(.enabled(if: SynapseUnderTest.isInstalled || SynapseUnderTest.isRequired, Comment(rawValue: SynapseUnderTest.missing)))
    func aliceGetsAnswersEditedInPlaceAcrossHomeserverAndControllerRestarts() async throws {
        try Harness.requireBinaries()
        try #require(SynapseUnderTest.isInstalled, Comment(rawValue: SynapseUnderTest.missing))
        let root = try Harness.temporaryDirectory("matrix")
        let synapse = try SynapseUnderTest(root: root)
        let controller = ControllerUnderTest(root: root)
        try FileManager.default.createDirectory(atPath: controller.stateDir, withIntermediateDirectories: true)
        try Self.policy.write(toFile: "\(controller.stateDir)/policy.yaml", atomically: true, encoding: .utf8)
        let web = try AgentUnderTest(root: root, name: "web-01", policy: Policies.standard)

        try await withLogsOnFailure(
            [("synapse", { synapse.log }), ("controller", { controller.log }), ("web-01", { web.log })],
            cleanup: { await web.stop(); await controller.stop(); await synapse.stop() }
        ) {
            try await synapse.setup()
            try await synapse.start()
            let bot = try await synapse.register("steward", password: "steward-password")
            let alice = try await synapse.register("alice", password: "alice-password")
            let room = try await alice.createRoom(inviting: [bot.userID])

            let configPath = "\(root)/controller.yaml"
            try """
                chat:
                  - platform: matrix
                    homeserver: \(synapse.url)
                    user_id: "\(bot.userID)"
                    access_token_env: STEWARD_TEST_MATRIX_TOKEN
                    rooms: ["\(room)"]
                """.write(toFile: configPath, atomically: true, encoding: .utf8)
            let environment = ["STEWARD_TEST_MATRIX_TOKEN": bot.token]
            try await controller.start(config: configPath, environment: environment)
            try #require(try await web.enroll(token: try await controller.createToken(labels: "role=web")).status == 0)
            try web.start()
            try await Harness.eventually("web-01 online") { try await controller.agents().first?.state == "online" }
            try await Harness.eventually("the bot accepted the invite", timeout: .seconds(60)) {
                try await alice.joinedMembers(of: room).contains(bot.userID)
            }

            func health() async throws -> Health.Chat? {
                let output = try await Harness.run("/usr/bin/curl", ["-sS", "-m", "5", "\(controller.apiURL)/healthz"])
                return try? JSONDecoder().decode(Health.self, from: Data(output.stdout.utf8)).chat?.first { $0.platform == "matrix" }
            }
            func replies() async throws -> [BotReplies.Reply] {
                BotReplies(timeline: try await alice.timeline(of: room), bot: bot.userID).replies
            }
            /// Sends `text` and waits for the bot's `count`-th reply to reach its final state.
            func ask(_ text: String, expectReply count: Int) async throws -> BotReplies.Reply {
                _ = try await alice.send(text, in: room)
                try await Harness.eventually("the final answer to '\(text)'", timeout: .seconds(60)) {
                    let all = try await replies()
                    return all.count >= count && all[count - 1].body.contains("succeeded")
                }
                return try await replies()[count - 1]
            }

            // 1. A command in the room: acknowledged at once, then edited in place until the run is done.
            let first = try await ask("steward: metrics all", expectReply: 1)
            #expect(first.original.contains("0/1 hosts done"), "\(first.original)")
            #expect(first.edits >= 1)
            #expect(first.body.contains("metrics on 1 host: 1 succeeded") && first.body.contains("CPU%"), "\(first.body)")
            #expect(first.formattedBody.contains("<pre><code>"), "\(first.formattedBody)")
            #expect(try await health()?.healthy == true)

            // 2. The homeserver dies mid-conversation and comes back: the bot notices, reconnects, answers.
            synapse.kill()
            try await Harness.eventually("the outage shows in /healthz") { try await health()?.connected == false }
            try await synapse.start()
            try await Harness.eventually("reconnected after the restart", timeout: .seconds(60)) {
                let chat = try await health()
                return chat?.healthy == true && (chat?.reconnects ?? 0) >= 1
            }
            let second = try await ask("@steward metrics web-01", expectReply: 2)
            #expect(second.body.contains("1 succeeded"), "\(second.body)")

            // 3. The controller restarts: it resumes from its saved sync position, so nothing is replayed.
            let agentAddress = controller.agentAddress
            let apiAddress = String(controller.apiURL.dropFirst("http://".count))
            await controller.stop()
            try await controller.start(agentListen: agentAddress, apiListen: apiAddress, config: configPath, environment: environment)
            try await Harness.eventually("connected after the controller restart", timeout: .seconds(60)) { try await health()?.healthy == true }
            try await Harness.eventually("web-01 back online") { try await controller.agents().first?.state == "online" }
            let third = try await ask("!ping all", expectReply: 3)
            #expect(third.body.contains("ping on 1 host: 1 succeeded"), "\(third.body)")

            // No event ran twice: three commands, three jobs, three replies.
            try await Task.sleep(for: .seconds(2))
            let history: [HistoryView] = try await controller.json(["history", "web-01"])
            #expect(history.map(\.command).sorted() == ["metrics", "metrics", "ping"], "\(history.map(\.command))")
            #expect(try await replies().count == 3)
            #expect(FileManager.default.fileExists(atPath: "\(controller.stateDir)/chat/matrix/sync-token.json"))
        }
    }
}
