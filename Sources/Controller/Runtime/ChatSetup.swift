import Foundation

/// Loads the chat policy and custom commands for a controller; a bad file stops start-up with its reason.
public enum ChatSetup {
    /// Without a policy file only the controller's own admin token may act, from the consoles: the admin
    /// can already do everything through the CLI, and nobody else gets anything by default.
    public static let defaultPolicy = """
        identities:
          - {platform: terminal, user: admin, roles: [admin]}
          - {platform: web, user: admin, roles: [admin]}
        roles:
          admin:
            rules:
              - {commands: ["*"], targets: all}
        """

    public static func policy(_ configuration: ControllerConfiguration) throws -> ChatPolicy {
        let path = configuration.policyPath ?? "\(configuration.stateDirectory)/policy.yaml"
        if configuration.policyPath == nil, !FileManager.default.fileExists(atPath: path) {
            return try ChatPolicy.parse(yaml: defaultPolicy, path: "built-in policy")
        }
        do {
            return try ChatPolicy.load(path: path)
        } catch {
            throw ConfigurationError("\(error)")
        }
    }

    public static func aliases(_ configuration: ControllerConfiguration) throws -> [CommandAlias] {
        let path = configuration.commandsPath ?? "\(configuration.stateDirectory)/commands.yaml"
        do {
            return try CommandsFile.load(path: path)
        } catch {
            throw ConfigurationError("\(error)")
        }
    }
}
