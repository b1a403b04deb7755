import StewardConfig
import Yams

/// Typed, strict access to the YAML nodes of a policy file; every failure names file, line and key path.
typealias PolicyNodeReader = ConfigNodeReader<AgentPolicy>

/// The accessors whose rules are the agent policy's own.
extension ConfigNodeReader where Domain == AgentPolicy {
    /// Any non-null scalar, taken literally (`LC_ALL: C`, `- -h`, `DEBUG: 1`), without NUL bytes
    /// (they cannot pass through argv or the environment).
    func string(_ node: Node, at keyPath: String) throws(PolicyError) -> String {
        let text = try literal(node, at: keyPath)
        guard !text.utf8.contains(0) else {
            throw error(.invalidValue, node, keyPath, "the string contains a NUL byte")
        }
        return text
    }

    func duration(_ node: Node, at keyPath: String) throws(PolicyError) -> Duration {
        let text = try string(node, at: keyPath)
        guard let duration = PolicyDuration.parse(text) else {
            throw error(
                .invalidDuration, node, keyPath,
                "\(text.debugDescription) is not a duration (use e.g. 500ms, 30s, 5m, 1h; at most 24h)")
        }
        return duration
    }

    /// A non-empty argv whose first element is absolute (or, with `allowBareName`, a name for PATH).
    func argv(_ node: Node, at keyPath: String, allowBareName: Bool) throws(PolicyError) -> [String] {
        var argv: [String] = []
        for (index, element) in try sequence(node, at: keyPath).enumerated() {
            argv.append(try string(element, at: "\(keyPath)[\(index)]"))
        }
        guard let executable = argv.first else {
            throw error(.emptyArgv, node, keyPath, "argv must name an executable")
        }
        let isBareName = allowBareName && !executable.isEmpty && !executable.contains("/")
        guard executable.hasPrefix("/") || isBareName else {
            let expected = allowBareName ? "an absolute path or a bare command name" : "an absolute path"
            throw error(.relativePath, node, "\(keyPath)[0]", "\(executable.debugDescription) is not \(expected)")
        }
        return argv
    }
}
