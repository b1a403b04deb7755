import Foundation
import Logging
import Testing
import Yams
@testable import StewardController

/// `platform: feishu` / `platform: lark` entries of controller.yaml: read, defaulted, refused with a reason.
@Suite("Feishu entries of controller.yaml")
struct FeishuSettingsTests {
    static let environment = ["FEISHU_SECRET": "app-secret-value", "FEISHU_KEY": "encrypt-key-value", "FEISHU_TOKEN": "token-value"]

    static func connections(_ yaml: String, environment: [String: String] = environment) throws -> [any ChatConnection] {
        let node = try #require(try Yams.compose(yaml: yaml))
        return try ChatConnectionSettings.parseList(node, path: "controller.yaml", environment: environment).map {
            entry throws(ChatSettingsError) in
            try ChatConnectionFactory.make(entry, context: ChatConnectionContext(logger: Logger(label: "test"), stateDirectory: "/state/chat/\(entry.name)"))
        }
    }

    @Test func aFullEntryIsRead() throws {
        let made = try Self.connections("""
            - platform: feishu
              name: ops-feishu
              app_id: cli_a1b2c3d4e5f6a7b8
              app_secret_env: FEISHU_SECRET
              encrypt_key_env: FEISHU_KEY
              verification_token_env: FEISHU_TOKEN
              path: /feishu/events
              api_url: https://open.feishu.cn/
            """)
        let feishu = try #require(made.first as? FeishuConnection)
        #expect(feishu.name == "ops-feishu")
        #expect(feishu.settings.platform == "feishu")
        #expect(feishu.settings.appID == "cli_a1b2c3d4e5f6a7b8")
        #expect(feishu.settings.appSecret == "app-secret-value")
        #expect(feishu.settings.encryptKey == "encrypt-key-value")
        #expect(feishu.settings.verificationToken == "token-value")
        #expect(feishu.settings.path == "/feishu/events")
        #expect(feishu.settings.apiURL == "https://open.feishu.cn")
        var dumped = ""
        dump(feishu, to: &dumped)
        for shown in ["\(feishu.settings)", String(reflecting: feishu.settings), "\(feishu.adapter.client.configuration)", dumped] {
            for secret in Self.environment.values {
                #expect(!shown.contains(secret), "a secret leaked: \(shown)")
            }
        }
    }

    @Test func larkIsTheSameAdapterOnLarksHost() async throws {
        let made = try Self.connections("""
            - {platform: lark, app_id: cli_x, app_secret_env: FEISHU_SECRET, verification_token_env: FEISHU_TOKEN}
            - {platform: feishu, app_id: cli_y, app_secret_env: FEISHU_SECRET, encrypt_key_env: FEISHU_KEY}
            """)
        let lark = try #require(made.first as? FeishuConnection)
        #expect(lark.settings.platform == "lark")
        #expect(lark.settings.apiURL == "https://open.larksuite.com")
        #expect(lark.settings.path == "/lark/lark")
        #expect(lark.settings.encryptKey == nil)
        #expect(lark.adapter.platform == "lark")
        #expect(await lark.health.snapshot.platform == "lark")
        let feishu = try #require(made.last as? FeishuConnection)
        #expect(feishu.settings.apiURL == "https://open.feishu.cn")
        #expect(feishu.settings.path == "/feishu/feishu")
        #expect(feishu.settings.verificationToken == nil)
    }

    @Test func badEntriesAreRefusedWithTheKeyAndAReason() throws {
        let base = "platform: feishu, app_id: cli_x, app_secret_env: FEISHU_SECRET, encrypt_key_env: FEISHU_KEY"
        let cases: [(yaml: String, code: ChatSettingsError.Code, keyPath: String, reason: String)] = [
            ("{platform: feishu, app_secret_env: FEISHU_SECRET, encrypt_key_env: FEISHU_KEY}", .missingKey, "chat[0].app_id", "'app_id' is required"),
            ("{platform: feishu, app_id: 'cli x', app_secret_env: FEISHU_SECRET, encrypt_key_env: FEISHU_KEY}", .invalidValue, "chat[0].app_id", "is not an app id"),
            ("{platform: feishu, app_id: cli_x, encrypt_key_env: FEISHU_KEY}", .missingKey, "chat[0].app_secret", "'app_secret_file' or 'app_secret_env' is required"),
            ("{platform: feishu, app_id: cli_x, app_secret: s3cret, encrypt_key_env: FEISHU_KEY}", .invalidValue, "chat[0].app_secret", "secrets are not written in the config file"),
            ("{platform: feishu, app_id: cli_x, app_secret_env: FEISHU_SECRET}", .missingKey, "chat[0].encrypt_key", "without either anyone could post events"),
            ("{\(base), encrypt_key_file: /etc/k}", .invalidValue, "chat[0].encrypt_key_env", "not both"),
            ("{platform: feishu, app_id: cli_x, app_secret_env: UNSET, encrypt_key_env: FEISHU_KEY}", .invalidValue, "chat[0].app_secret_env", "UNSET is not set"),
            ("{\(base), path: /api/feishu}", .invalidValue, "chat[0].path", "not under /api/"),
            ("{\(base), api_url: 'ftp://open.feishu.cn'}", .invalidValue, "chat[0].api_url", "is not an absolute http/https URL"),
            ("{\(base), api_url: 'https://open.feishu.cn/?x=1'}", .invalidValue, "chat[0].api_url", "must be a plain base URL"),
            ("{\(base), signing_secret_env: FEISHU_KEY}", .unknownKey, "chat[0].signing_secret_env", "unknown key for a feishu connection"),
            ("{platform: feishu-cn, app_id: cli_x}", .invalidValue, "chat[0].platform", "feishu, lark"),
        ]
        for test in cases {
            do {
                _ = try Self.connections("- " + test.yaml)
                Issue.record("accepted: \(test.yaml)")
            } catch let error as ChatSettingsError {
                #expect(error.code == test.code, "\(test.yaml): \(error)")
                #expect(error.keyPath == test.keyPath, "\(test.yaml): \(error)")
                #expect(error.reason.contains(test.reason), "\(test.yaml): \(error)")
                #expect(error.line == 1, "\(test.yaml): \(error)")
            }
        }
    }
}
