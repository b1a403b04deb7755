/// Builds connections from `chat:` entries; every platform Steward speaks is listed here.
public enum ChatConnectionFactory {
    public static let platforms = ["slack", "mattermost", "matrix", "dingtalk", "webhook", "notify", "irc", "feishu", "lark", "rocketchat"]

    /// Checks an entry and reads its secrets, so a bad entry stops start-up with file, line and reason.
    public static func make(_ entry: ChatConnectionSettings, context: ChatConnectionContext) throws(ChatSettingsError) -> any ChatConnection {
        switch entry.platform {
        case "slack":
            return SlackConnection(settings: try SlackConnection.settings(entry), logger: context.logger, metrics: context.metrics)
        case "mattermost":
            return MattermostConnection(settings: try MattermostConnection.settings(entry), logger: context.logger)
        case "dingtalk":
            return DingTalkConnection(settings: try DingTalkConnection.settings(entry), logger: context.logger, metrics: context.metrics)
        case "webhook":
            return WebhookConnection(settings: try WebhookConnection.settings(entry), logger: context.logger, metrics: context.metrics)
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
            return FeishuConnection(settings: try FeishuConnection.settings(entry), logger: context.logger, metrics: context.metrics)
        case "rocketchat":
            return RocketChatConnection(settings: try RocketChatConnection.settings(entry), logger: context.logger)
        default:
            throw entry.error(.invalidValue, "platform", unknownPlatform(entry.platform))
        }
    }

    /// Builds every entry, refusing two connections that serve the same HTTP path (the router would hand
    /// every request to one of them, and the other would stay deaf without a word).
    public static func makeAll(
        _ entries: [ChatConnectionSettings], context: (ChatConnectionSettings) -> ChatConnectionContext
    ) throws(ChatSettingsError) -> [any ChatConnection] {
        var owners: [String: String] = [:]
        var connections: [any ChatConnection] = []
        for entry in entries {
            let connection = try make(entry, context: context(entry))
            for path in connection.routePaths {
                let key = ChatConnectionSettings.routeKey(path)
                if let owner = owners[key] {
                    let given = ["path", "events_path"].first(where: entry.has)
                    throw entry.error(
                        .invalidValue, given ?? "platform",
                        "'\(path)' is already served by chat connection '\(owner)'"
                            + (given == nil ? " (it is this platform's default path): give one of them its own path" : ""))
                }
                owners[key] = entry.name
            }
            connections.append(connection)
        }
        return connections
    }

    static func unknownPlatform(_ platform: String) -> String {
        "'\(platform)' is not a chat platform Steward speaks (known: \(platforms.joined(separator: ", ")))"
    }
}
