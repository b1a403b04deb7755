import Foundation
import Testing
import Yams
@testable import StewardController

/// `platform: dingtalk` entries: Stream mode by default (client id and secret), callback mode on request.
@Suite("DingTalk settings")
struct DingTalkSettingsTests {
    static func settings(_ yaml: String) throws -> DingTalkConnection.Settings {
        let node = try #require(try Yams.compose(yaml: yaml))
        let entry = try #require(try ChatConnectionSettings.parseList(node, path: "controller.yaml", environment: ["S": "the-secret"]).first)
        return try DingTalkConnection.settings(entry)
    }

    @Test func streamIsTheDefaultMode() throws {
        let settings = try Self.settings("- platform: dingtalk\n  client_id: dingabc\n  client_secret_env: S")
        #expect(settings.mode == .stream)
        #expect(settings.clientID == "dingabc")
        #expect(settings.appSecret == "the-secret")
        #expect(settings.gatewayURL == "https://api.dingtalk.com/")
        #expect(settings.apiURL == "https://oapi.dingtalk.com/")
    }

    @Test func callbackModeKeepsItsKeys() throws {
        let settings = try Self.settings("- platform: dingtalk\n  mode: callback\n  app_secret_env: S\n  path: /dingtalk/cb")
        #expect(settings.mode == .callback)
        #expect(settings.appSecret == "the-secret")
        #expect(settings.path == "/dingtalk/cb")
    }

    @Test func aNewStreamConnectionIsNotHealthyUntilItsSocketOpens() async throws {
        let stream = DingTalkConnection(settings: try Self.settings("- platform: dingtalk\n  client_id: dingabc\n  client_secret_env: S"),
                                        logger: SlackEventsEndpointTests.quiet)
        #expect(await stream.health.snapshot.isHealthy == false)
        let callback = DingTalkConnection(settings: try Self.settings("- platform: dingtalk\n  mode: callback\n  app_secret_env: S"),
                                          logger: SlackEventsEndpointTests.quiet)
        #expect(await callback.health.snapshot.isHealthy)
    }

    /// (entry, key path, fragment of the reason)
    static let refused: [(String, String, String)] = [
        ("- platform: dingtalk\n  client_secret_env: S", "chat[0].client_id", "'client_id' is required"),
        ("- platform: dingtalk\n  client_id: x", "chat[0].client_secret", "'client_secret_file' or 'client_secret_env' is required"),
        ("- platform: dingtalk\n  client_id: x\n  client_secret_env: S\n  path: /dt", "chat[0].path", "belongs to mode: callback"),
        ("- platform: dingtalk\n  client_id: x\n  app_secret_env: S", "chat[0].app_secret_env", "belongs to mode: callback"),
        ("- platform: dingtalk\n  mode: callback\n  app_secret_env: S\n  client_id: x", "chat[0].client_id", "belongs to mode: stream"),
        ("- platform: dingtalk\n  mode: websocket\n  client_id: x", "chat[0].mode", "not one of: stream, callback"),
        ("- platform: dingtalk\n  client_id: x\n  client_secret_env: S\n  gateway_url: api.dingtalk.com", "chat[0].gateway_url", "not an absolute"),
        ("- platform: dingtalk\n  client_id: x\n  client_secret: inline", "chat[0].client_secret", "secrets are not written in the config file"),
    ]

    @Test(arguments: refused) func badEntriesAreRefused(_ yaml: String, _ keyPath: String, _ fragment: String) {
        #expect {
            _ = try Self.settings(yaml)
        } throws: { error in
            guard let error = error as? ChatSettingsError else { return false }
            return error.keyPath == keyPath && error.reason.contains(fragment)
        }
    }
}
