import Foundation

extension FeishuConnection {
    /// The open API hosts: Feishu (China) and Lark (international) are the same platform on two hosts.
    static let defaultAPIURLs = ["feishu": "https://open.feishu.cn", "lark": "https://open.larksuite.com"]

    /// Reads a `platform: feishu` (or `lark`) entry.
    public static func settings(_ entry: ChatConnectionSettings) throws(ChatSettingsError) -> Settings {
        let platform = entry.platform
        let appID = try entry.string("app_id")
        guard appID.utf8.count <= 64, appID.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
        else {
            throw entry.error(.invalidValue, "app_id", "'\(appID.prefix(64))' is not an app id (letters, digits and '_', such as cli_a1b2c3d4e5f6a7b8)")
        }
        let appSecret = try entry.secret("app_secret")
        let encryptKey = try entry.optionalSecret("encrypt_key")
        let verificationToken = try entry.optionalSecret("verification_token")
        guard encryptKey != nil || verificationToken != nil else {
            throw entry.error(.missingKey, "encrypt_key",
                              "give 'encrypt_key_file'/'encrypt_key_env' (recommended: events are signed and encrypted) or "
                                  + "'verification_token_file'/'verification_token_env'; without either anyone could post events")
        }
        let path = try entry.routePath("path", default: "/\(platform)/\(entry.name)")
        let apiURL = try entry.url("api_url", default: defaultAPIURLs[platform] ?? "https://open.feishu.cn")
        guard let parsed = URL(string: apiURL), parsed.query == nil, parsed.fragment == nil, parsed.user == nil else {
            throw entry.error(.invalidValue, "api_url", "'\(apiURL)' must be a plain base URL such as \(defaultAPIURLs[platform] ?? "")")
        }
        try entry.finish()
        return Settings(
            name: entry.name, platform: platform, appID: appID, appSecret: appSecret, encryptKey: encryptKey,
            verificationToken: verificationToken, path: path, apiURL: apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL)
    }
}
