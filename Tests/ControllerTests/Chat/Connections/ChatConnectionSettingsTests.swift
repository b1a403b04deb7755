import Foundation
import Logging
import Testing
import Yams
@testable import StewardController

@Suite("Chat connection settings (controller.yaml chat:)")
struct ChatConnectionSettingsTests {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "steward-chat-settings-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func secretFile(_ name: String, _ content: String, mode: Int = 0o600) -> String {
        let path = "\(directory)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(content.utf8), attributes: [.posixPermissions: mode])
        return path
    }

    static func connections(_ yaml: String, environment: [String: String] = [:]) throws -> [any ChatConnection] {
        let node = try #require(try Yams.compose(yaml: yaml))
        let entries = try ChatConnectionSettings.parseList(node, path: "controller.yaml", environment: environment)
        return try ChatConnectionFactory.makeAll(entries) { _ in ChatConnectionContext(logger: Logger(label: "test"), stateDirectory: directory) }
    }

    @Test func slackEntryReadsSecretsFromFilesAndEnvironment() throws {
        let token = Self.secretFile("token-ok", "xoxb-123\n")
        let made = try Self.connections("""
            - platform: slack
              name: ops-slack
              mode: events
              bot_token_file: \(token)
              signing_secret_env: SLACK_SIGNING
              api_url: http://127.0.0.1:9/api
              names: [steward, bot]
            """, environment: ["SLACK_SIGNING": " s3cret "])
        let slack = try #require(made.first as? SlackConnection)
        #expect(slack.name == "ops-slack")
        #expect(slack.settings.botToken == "xoxb-123")
        #expect(slack.settings.signingSecret == "s3cret")
        #expect(slack.settings.apiURL == "http://127.0.0.1:9/api")
        #expect(slack.settings.eventsPath == "/slack/events")
        #expect(slack.settings.names == ["steward", "bot"])
    }

    @Test func aNewConnectionIsNotHealthyUntilThePlatformAcceptsIt() async throws {
        let made = try Self.connections("""
            - platform: slack
              bot_token_env: T
              app_token_env: S
            """, environment: ["T": "xoxb-1", "S": "xapp-1"])
        let health = await made[0].health.snapshot
        #expect(health.name == "slack")
        #expect(!health.isHealthy)
        #expect(health.summary == "disconnected")
    }

    static let worldReadable = secretFile("token-0644", "xoxb-1", mode: 0o644)
    static let empty = secretFile("token-empty", "  \n")

    /// (entry, line, key path, fragment of the reason)
    static let refused: [(String, Int, String, String)] = [
        ("- platform: hipchat", 1, "chat[0].platform", "'hipchat' is not a chat platform Steward speaks"),
        ("- name: x", 1, "chat[0]", "'platform' is required"),
        ("- platform: slack\n  bot_token: xoxb-inline\n  app_token_env: S", 2, "chat[0].bot_token", "secrets are not written in the config file"),
        ("- platform: slack\n  bot_token_env: MISSING\n  app_token_env: S", 2, "chat[0].bot_token_env", "MISSING is not set or empty"),
        ("- platform: slack\n  bot_token_file: \(worldReadable)\n  app_token_env: S", 2, "chat[0].bot_token_file", "is readable by others (mode 644)"),
        ("- platform: slack\n  bot_token_file: \(empty)\n  app_token_env: S", 2, "chat[0].bot_token_file", "the file is empty"),
        ("- platform: slack\n  bot_token_file: /nonexistent/t\n  app_token_env: S", 2, "chat[0].bot_token_file", "cannot read"),
        ("- platform: slack\n  bot_token_env: T\n  bot_token_file: /x\n  app_token_env: S", 2, "chat[0].bot_token_env", "not both"),
        ("- platform: slack\n  bot_token_env: T", 1, "chat[0].app_token", "'app_token_file' or 'app_token_env' is required"),
        ("- platform: slack\n  mode: events\n  bot_token_env: T", 1, "chat[0].signing_secret", "'signing_secret_file' or 'signing_secret_env' is required"),
        ("- platform: slack\n  bot_token_env: T\n  app_token_env: S\n  signing_secret_env: S", 4, "chat[0].signing_secret_env", "belongs to mode: events (this connection uses mode: socket)"),
        ("- platform: slack\n  mode: events\n  bot_token_env: T\n  signing_secret_env: S\n  app_token_env: S", 5, "chat[0].app_token_env", "belongs to mode: socket"),
        ("- platform: slack\n  bot_token_env: T\n  app_token_env: S\n  mode: rtm", 4, "chat[0].mode", "'rtm' is not one of: socket, events"),
        ("- platform: slack\n  bot_token_env: T\n  app_token_env: S\n  api_url: slack.com", 4, "chat[0].api_url", "not an absolute"),
        ("- platform: slack\n  mode: events\n  bot_token_env: T\n  signing_secret_env: S\n  events_path: /api/v1/x", 5, "chat[0].events_path", "not under /api/"),
        ("- platform: dingtalk\n  app_secret_env: S\n  path: /healthz", 3, "chat[0].path", "is the controller's own"),
        ("- platform: slack\n  bot_token_env: T\n  app_token_env: S\n  chanel: C1", 4, "chat[0].chanel", "unknown key for a slack connection"),
        ("- platform: slack\n  name: ../etc\n  bot_token_env: T\n  app_token_env: S", 2, "chat[0].name", "is not a name"),
        ("- {platform: slack, bot_token_env: T, app_token_env: S}\n- {platform: slack, bot_token_env: T, app_token_env: S}", 2,
         "chat[1].name", "two chat connections are named 'slack'"),
        ("platform: slack", 1, "chat", "expected a list"),
        ("- platform: webhook\n  secret_env: LONG", 1, "chat[0].identity", "'identity' is required"),
        ("- platform: webhook\n  identity: am\n  secret_env: S", 3, "chat[0].secret_env", "at least 16 bytes"),
        ("- platform: webhook\n  identity: am\n  secret_env: LONG\n  path: /api/v1/agents", 4, "chat[0].path", "not under /api/"),
        ("- platform: webhook\n  identity: am\n  secret_env: LONG\n  path: /hooks/../x", 4, "chat[0].path", "plain path"),
        ("- platform: webhook\n  identity: 'a b'\n  secret_env: LONG", 2, "chat[0].identity", "is not a name"),
        ("- platform: webhook\n  identity: am\n  secret_env: LONG\n  reply_url_env: S", 4, "chat[0].reply_url_env", "not an http(s) URL"),
        ("- platform: webhook\n  identity: am\n  secret_env: LONG\n  style: github", 4, "chat[0].style", "not one of: steward, slack"),
        ("- platform: notify\n  url_env: S", 1, "chat[0].platform", "notifications need a running controller"),
        ("- platform: webhook\n  identity: am\n  secret_env: LONG\n  path: /", 4, "chat[0].path", "is the controller's own"),
        ("- platform: webhook\n  identity: am\n  secret_env: LONG\n  path: /app.js", 4, "chat[0].path", "is the controller's own"),
        ("- platform: webhook\n  identity: am\n  secret_env: LONG\n  path: /API/v1/jobs", 4, "chat[0].path", "not under /api/"),
        // Two connections on one path: the router would hand every request to one, the other deaf.
        ("- {platform: webhook, name: a, identity: am, secret_env: LONG, path: /hooks/x}\n"
            + "- {platform: webhook, name: b, identity: am, secret_env: LONG, path: /hooks/x/}", 2, "chat[1].path",
         "'/hooks/x/' is already served by chat connection 'a'"),
        ("- {platform: slack, name: a, mode: events, bot_token_env: T, signing_secret_env: S}\n"
            + "- {platform: slack, name: b, mode: events, bot_token_env: T, signing_secret_env: S}", 2, "chat[1].platform",
         "(it is this platform's default path): give one of them its own path"),
    ]

    @Test(arguments: refused)
    func badEntriesAreRefusedWithLineAndReason(_ yaml: String, _ line: Int, _ keyPath: String, _ fragment: String) throws {
        #expect {
            _ = try Self.connections(yaml, environment: ["T": "xoxb-1", "S": "secret", "LONG": "0123456789abcdef0123"])
        } throws: { error in
            guard let error = error as? ChatSettingsError else { return false }
            return error.line == line && error.keyPath == keyPath && error.reason.contains(fragment)
        }
    }

    @Test func connectionsOnDistinctPathsOrWithoutRoutesAreAccepted() throws {
        let made = try Self.connections("""
            - {platform: slack, name: a, mode: events, bot_token_env: T, signing_secret_env: S}
            - {platform: slack, name: b, mode: events, bot_token_env: T, signing_secret_env: S, events_path: /slack/b}
            - {platform: slack, name: c, bot_token_env: T, app_token_env: S}
            - {platform: slack, name: d, bot_token_env: T, app_token_env: S}
            """, environment: ["T": "xoxb-1", "S": "secret"])
        #expect(made.map(\.routePaths) == [["/slack/events"], ["/slack/b"], [], []], "Socket Mode serves no path")
    }

    @Test func controllerFileCarriesTheChatList() throws {
        let configuration = try ControllerConfigFile.parse("""
            state_dir: /srv/steward
            chat:
              - platform: slack
                bot_token_env: T
                app_token_env: S
            """, path: "controller.yaml")
        #expect(configuration.chat.map(\.platform) == ["slack"])
        #expect(throws: ConfigurationError.self) {
            try ControllerConfigFile.parse("chat:\n  - platform: irc2\n", path: "controller.yaml")
        }
    }
}
