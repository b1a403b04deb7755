@testable import StewardController

/// The `commands.yaml` used by the alias tests: one alias per parameter type and action kind.
enum CommandAliasFixtures {
    static let yaml = """
        commands:
          deploy:
            pattern: "deploy {app} to {env}"     # words and {params}
            params:
              app: {type: enum, values: [api, web]}
              env: {type: enum, values: [staging, prod]}
            action: {exec: deploy, args: ["{app}", "--env={env}"]}
            target: "role={app},env={env}"
            help: "Deploy an app to an environment"
          tail-log:
            pattern: "tail {lines} of {host}"
            params: {lines: {type: int, min: 1, max: 1000}, host: {type: host}}
            action: {exec: tail-log, args: ["{lines}"]}
            target: "{host}"
          bounce:
            pattern: "bounce {app}"
            params:
              app: {type: enum, values: [api, web]}
            action: {service: restart, unit: "{app}.service"}
            target: "role={app}"
          silence:
            pattern: "silence {host} for {time}"
            params: {host: {type: host}, time: {type: duration}}
            action: {exec: silence, args: ["--for", "{time}"]}
            target: "{host}"
          greet:
            pattern: "greet {who}"
            params:
              who: {type: string, pattern: "[a-z]+", max_length: 8}
            action: {exec: greet, args: ["{who}"]}
            target: all
          say:
            pattern: "say {text} in {zone}"
            params:
              text: {type: string}
              zone: {type: string}
            action: {exec: say, args: ["{text}"]}
            target: "zone={zone}"
          zone-load:
            pattern: load of {zone}
            params:
              zone: {type: enum, values: [eu, us]}
            action: metrics
            target: "zone={zone}"
        """

    static func parser() throws -> ChatCommandParser {
        ChatCommandParser(aliases: try CommandsFile.parse(yaml))
    }
}
