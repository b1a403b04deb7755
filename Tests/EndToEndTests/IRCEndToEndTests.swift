import Foundation
import Testing

/// The IRC adapter against a real ngIRCd: the controller connects over verified TLS, a person on the plain
/// port talks to it in #ops, a real agent answers; the server is restarted mid-conversation; a wrong CA and
/// a wrong password show up in `/healthz` without hanging anything.
@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: NgIRCdUnderTest.installed || NgIRCdUnderTest.required, NgIRCdUnderTest.skipNote))
struct IRCEndToEndTests {
    static let policy = """
        identities:
          - {platform: irc, user: "alice!~alice@127.0.0.1", roles: [operator]}
        roles:
          operator:
            rules:
              - {commands: [ping, metrics, history, job, "exec:long"], targets: all}
        """

    /// One output line of 756 bytes mixing 1-, 2-, 3- and 4-byte characters, so cuts land inside characters.
    static let longLine = String(repeating: "ab é€ 😀 日本 ", count: 36)

    static let agentPolicy = """
        commands:
          long:
            argv: ["/bin/echo", "\(longLine)"]
        """

    static func controllerConfig(_ server: NgIRCdUnderTest, caFile: String?, name: String = "irc", password: String? = nil) -> String {
        """
          - platform: irc
            name: \(name)
            server: 127.0.0.1:\(server.tlsPort)
        \(caFile.map { "    ca_file: \($0)\n" } ?? "")\(password.map { "    password_env: \($0)\n" } ?? "")    nick: steward
            channels: ["#ops"]
            send_interval: 20ms
            send_burst: 10
            rejoin_delay: 1s
            connect_timeout: 5s
        """
    }

    struct Health: Decodable {
        struct Chat: Decodable {
            var name: String
            var healthy: Bool
            var summary: String
            var connected: Bool
            var auth_failure: String?
            var reconnects: Int
        }

        var chat: [Chat]?
    }

    static func health(_ controller: ControllerUnderTest) async throws -> [String: Health.Chat] {
        let body = try await TestSocket.httpGet(controller.apiURL, "/healthz")
        let chat = try JSONDecoder().decode(Health.self, from: body).chat ?? []
        return Dictionary(chat.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func aPersonInOpsGetsAnswersFromARealAgentAcrossAServerRestart() async throws {
        if NgIRCdUnderTest.required { try NgIRCdUnderTest.requireInstalled() }
        try Harness.requireBinaries()
        let root = try Harness.temporaryDirectory("irc")
        let ngircd = try NgIRCdUnderTest(root: root)
        let controller = ControllerUnderTest(root: root)
        try FileManager.default.createDirectory(atPath: controller.stateDir, withIntermediateDirectories: true)
        try Self.policy.write(toFile: "\(controller.stateDir)/policy.yaml", atomically: true, encoding: .utf8)
        let config = "\(root)/controller.yaml"
        try ("chat:\n" + Self.controllerConfig(ngircd, caFile: ngircd.certificate)).write(toFile: config, atomically: true, encoding: .utf8)
        let web = try AgentUnderTest(root: root, name: "web-01", policy: Self.agentPolicy)
        var clients: [IRCTestClient] = []

        try await withLogsOnFailure(
            [("controller", { controller.log }), ("web-01", { web.log }), ("ngircd", { ngircd.log })],
            cleanup: {
                for client in clients { await client.quit() }
                await web.stop()
                await controller.stop()
                await ngircd.stop()
            }
        ) {
            try await ngircd.start()
            // Someone already holds the nick "steward": the bot must take "steward_".
            let squatter = try await IRCTestClient.connect(port: ngircd.plainPort, nick: "steward")
            clients.append(squatter)
            try await squatter.join("#ops")
            let alice = try await IRCTestClient.connect(port: ngircd.plainPort, nick: "alice")
            clients.append(alice)
            try await alice.join("#ops")

            try await controller.start(config: config)
            try #require(try await web.enroll(token: try await controller.createToken(labels: "role=web")).status == 0)
            try web.start()
            try await Harness.eventually("web-01 online") { try await controller.agents().first?.state == "online" }
            try await alice.waitFor("the bot joining #ops as steward_") { $0.command == "JOIN" && $0.nick == "steward_" }
            try await Harness.eventually("the IRC connection is healthy") { try await Self.health(controller)["irc"]?.healthy == true }

            // Addressed by its current nick: metrics from the real agent, as a short line stream.
            var mark = alice.received.count
            try await alice.say("#ops", "steward_: metrics all")
            try await alice.waitFor("the metrics summary") { $0.nick == "steward_" && ($0.parameters.last ?? "").contains("metrics on 1 host: 1 succeeded") }
            try await alice.waitFor("the metrics table") { $0.nick == "steward_" && ($0.parameters.last ?? "").contains("CPU%") }
            let metricsLines = alice.messages(from: "steward_", to: "#ops", since: mark)
            #expect(metricsLines.first?.parameters.last?.contains("`metrics` on 1 host, asked by alice") == true, "\(metricsLines)")
            #expect(metricsLines.filter { ($0.parameters.last ?? "").contains("asked by alice") }.count == 1, "the acknowledgement is not repeated")

            // The squatter leaves: the bot takes its configured nick back.
            await squatter.quit()
            try await alice.waitFor("the bot taking its nick back") { $0.command == "NICK" && $0.nick == "steward_" && $0.parameters.first == "steward" }

            // Long output: every line fits in 512 bytes, is valid UTF-8, and the pieces give the line back.
            mark = alice.received.count
            try await alice.say("#ops", "!run long on web-01")
            try await alice.waitFor("the run summary") { $0.nick == "steward" && ($0.parameters.last ?? "").contains("exec long on 1 host: 1 succeeded") }
            let expected = "web-01 | " + Self.longLine.trimmingCharacters(in: .whitespaces)  // servers drop trailing spaces
            try await alice.waitFor("the whole long line") { _ in
                alice.messages(from: "steward", to: "#ops", since: mark).compactMap(\.parameters.last).joined().contains(expected)
            }
            let received = alice.received.dropFirst(mark)
            let oversized = received.filter { $0.raw.count > 512 }.map(\.text)
            let notUTF8 = received.filter { String(validating: $0.raw, as: UTF8.self) == nil }.map(\.text)
            #expect(oversized.isEmpty, "lines over 512 bytes: \(oversized)")
            #expect(notUTF8.isEmpty, "lines that are not UTF-8: \(notUTF8)")
            let pieces = alice.texts(from: "steward", to: "#ops", since: mark, containing: "日本")
            #expect(pieces.count >= 2, "the 765-byte output line needs at least two messages: \(pieces)")

            // The server goes away and comes back: the bot reconnects, rejoins and answers again.
            await ngircd.stop()
            try await Harness.eventually("the IRC connection reported lost") { try await Self.health(controller)["irc"]?.connected == false }
            try await ngircd.start()
            let back = try await IRCTestClient.connect(port: ngircd.plainPort, nick: "alice")
            clients.append(back)
            try await back.join("#ops")
            try await back.waitForMember("steward", in: "#ops", timeout: .seconds(60))
            try await back.say("#ops", "steward: metrics all")
            try await back.waitFor("the metrics summary after the restart") {
                $0.nick == "steward" && ($0.parameters.last ?? "").contains("metrics on 1 host: 1 succeeded")
            }
            let health = try #require(try await Self.health(controller)["irc"])
            #expect(health.healthy && health.reconnects >= 1, "\(health)")

            // Three commands, three jobs: nothing ran twice.
            let history: [HistoryView] = try await controller.json(["history", "web-01"])
            #expect(history.map(\.command).sorted() == ["exec long", "metrics", "metrics"], "\(history.map(\.command))")
        }
    }

    @Test func aWrongCertificateAuthorityAndAWrongPasswordShowInHealthWithoutHanging() async throws {
        if NgIRCdUnderTest.required { try NgIRCdUnderTest.requireInstalled() }
        try Harness.requireBinaries()
        let root = try Harness.temporaryDirectory("irc-fail")
        let ngircd = try NgIRCdUnderTest(root: root, password: "letmein")
        let controller = ControllerUnderTest(root: root)
        let config = "\(root)/controller.yaml"
        try await withLogsOnFailure([("controller", { controller.log }), ("ngircd", { ngircd.log })], cleanup: {
            await controller.stop()
            await ngircd.stop()
        }) {
            try await ngircd.start()
            // No ca_file: the system roots do not know ngircd's self-signed certificate.
            try ("chat:\n" + Self.controllerConfig(ngircd, caFile: nil, name: "wrong-ca")
                + "\n" + Self.controllerConfig(ngircd, caFile: ngircd.certificate, name: "wrong-password", password: "IRC_PASSWORD"))
                .write(toFile: config, atomically: true, encoding: .utf8)
            try await controller.start(config: config, environment: ["IRC_PASSWORD": "guess"])
            try await Harness.eventually("both failures in /healthz") {
                let health = try await Self.health(controller)
                return health["wrong-ca"]?.summary.contains("CERTIFICATE_VERIFY_FAILED") == true && health["wrong-password"]?.auth_failure != nil
            }
            let health = try await Self.health(controller)
            #expect(health["wrong-ca"]?.healthy == false)
            #expect(health["wrong-ca"]?.summary.contains("tlsHandshakeFailed") == true, "\(String(describing: health["wrong-ca"]))")
            #expect(health["wrong-password"]?.auth_failure?.contains("Bad password") == true, "\(String(describing: health["wrong-password"]))")

            // Neither connection holds up shutdown.
            await controller.stop(grace: .seconds(30))
            #expect(controller.exitedByItself, "the controller stopped on SIGTERM, not by SIGKILL")
        }
    }
}
