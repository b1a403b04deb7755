/// Who the bot is on Matrix and how people address it there.
public struct MatrixBotIdentity: Sendable, Hashable {
    /// The bot's full user id (`@steward:example.org`).
    public var userID: String
    /// Names people type, matched case-insensitively as `@name`, `name:` or `name,`: the configured names,
    /// the user id's localpart and the display name.
    public var names: [String]
    /// The command prefix (`!`); empty disables it.
    public var prefix: String

    public init(userID: String, names: [String] = [], displayName: String? = nil, prefix: String = "!") {
        self.userID = userID
        var all = names
        for name in [Self.localpart(of: userID), displayName].compactMap({ $0 }) where !name.isEmpty && !all.contains(name) {
            all.append(name)
        }
        self.names = all
        self.prefix = prefix
    }

    /// The literal mention forms: the full user id, as typed or as a client puts it in the plain body.
    public var mentionForms: [String] { [userID] }

    /// `steward` in `@steward:example.org`; nil when the id is not of that shape.
    static func localpart(of userID: String) -> String? {
        guard userID.hasPrefix("@"), let colon = userID.firstIndex(of: ":") else { return nil }
        let local = userID[userID.index(after: userID.startIndex)..<colon]
        return local.isEmpty ? nil : String(local)
    }
}
