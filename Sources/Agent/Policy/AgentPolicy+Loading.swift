import StewardConfig

extension AgentPolicy {
    /// Policy files are small; anything larger is a mistake, not a policy.
    public static let maxFileSize = 1 << 20

    /// Loads the policy file at `path`. An absent file is the default policy; a file that exists
    /// but is unreadable or invalid is an error, never a partial or default policy.
    public static func load(from path: String = AgentPolicy.defaultPath) throws(PolicyError) -> AgentPolicy {
        guard let text = try ConfigFile<AgentPolicy>(path: path).contents(maxSize: maxFileSize) else { return .default }
        return try parse(yaml: text, path: path)
    }

    /// Parses policy YAML; `path` only names the source in errors.
    public static func parse(yaml: String, path: String = "agent.yaml") throws(PolicyError) -> AgentPolicy {
        let file = ConfigFile<AgentPolicy>(path: path)
        return try PolicyParser(reader: file.reader).policy(from: file.compose(yaml))
    }
}
