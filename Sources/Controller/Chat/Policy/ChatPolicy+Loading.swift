import StewardConfig

extension ChatPolicy {
    /// Policy files are small; anything larger is a mistake, not a policy.
    public static let maxFileSize = 1 << 20

    /// Loads `policy.yaml`. An absent file is `denyAll` (only `help` and `whoami` work); a file that exists
    /// but is unreadable or invalid throws, and nothing of it is used.
    public static func load(path: String) throws(PolicyFileError) -> ChatPolicy {
        guard let text = try ConfigFile<ChatPolicy>(path: path).contents(maxSize: maxFileSize) else { return .denyAll }
        return try parse(yaml: text, path: path)
    }

    /// Parses policy YAML; `path` only names the source in errors.
    public static func parse(yaml: String, path: String = "policy.yaml") throws(PolicyFileError) -> ChatPolicy {
        let file = ConfigFile<ChatPolicy>(path: path)
        return try ChatPolicyParser(reader: file.reader).policy(from: file.compose(yaml))
    }
}
