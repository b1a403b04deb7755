/// Builds connections from `chat:` entries; every platform Steward speaks is listed here.
public enum ChatConnectionFactory {
    public static let platforms = ["slack", "mattermost", "matrix", "dingtalk", "webhook", "notify", "irc", "feishu", "lark", "rocketchat"]

    /// Checks an entry and reads its secrets, so a bad entry stops start-up with file, line and reason.
    public static func make(_ entry: ChatConnectionSettings, context: ChatConnectionContext) throws(ChatSettingsError) -> any ChatConnection {
        switch entry.platform {
        case "slack":
            return SlackConnection(settings: try SlackConnection.settings(entry), logger: context.logger)
        case "mattermost":
            return MattermostConnection(settings: try MattermostConnection.settings(entry), logger: context.logger)
        case "dingtalk":
            return DingTalkConnection(settings: try DingTalkConnection.settings(entry), logger: context.logger)
        case "webhook":
            return WebhookConnection(settings: try WebhookConnection.settings(entry), logger: context.logger)
        case "notify":
            guard let parts = context.controller else {
                throw entry.error(.invalidValue, "platform", "notifications need a running controller")
            }
            return NotifyConnection(settings: try NotifyConnection.settings(entry), parts: parts, logger: context.logger)
        case "matrix":
            return MatrixConnection(
                settings: try MatrixConnection.settings(entry, stateDirectory: context.stateDirectory), logger: context.logger)
        case "irc":
            return try IRCConnection(entry, logger: context.logger)
        case "feishu", "lark":
            return FeishuConnection(settings: try FeishuConnection.settings(entry), logger: context.logger)
        case "rocketchat":
            return RocketChatConnection(settings: try RocketChatConnection.settings(entry), logger: context.logger)
        default:
            throw entry.error(.invalidValue, "platform", unknownPlatform(entry.platform))
        }
    }

    static func unknownPlatform(_ platform: String) -> String {
        "'\(platform)' is not a chat platform Steward speaks (known: \(platforms.joined(separator: ", ")))"
    }
}
