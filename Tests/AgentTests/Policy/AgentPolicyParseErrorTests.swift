import Testing
@testable import StewardAgent

/// One invalid policy and the error it must produce.
struct PolicyErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var code: PolicyError.Code
    var line: Int?
    var keyPath: String
    var testDescription: String { name }
}

@Suite("AgentPolicy parse errors")
struct AgentPolicyParseErrorTests {
    static let cases: [PolicyErrorCase] = [
        .init(name: "unknown top-level key", yaml: "reboot: false\nreboots: true", code: .unknownKey, line: 2, keyPath: "reboots"),
        .init(name: "unknown limits key", yaml: """
            limits:
              output_max_bytes: 100
              max_concurent_jobs: 4
            """, code: .unknownKey, line: 3, keyPath: "limits.max_concurent_jobs"),
        .init(name: "unknown command key", yaml: """
            commands:
              disk-usage:
                argv: [/usr/bin/df]
                tiemout: 30s
            """, code: .unknownKey, line: 4, keyPath: "commands.disk-usage.tiemout"),
        .init(name: "merge key is not a policy key", yaml: "shell: false\n<<: {reboot: true}", code: .unknownKey, line: 2, keyPath: "<<"),
        .init(name: "bad duration", yaml: """
            commands:
              disk-usage:
                argv: [/usr/bin/df, -h]
                timeout: 3x
            """, code: .invalidDuration, line: 4, keyPath: "commands.disk-usage.timeout"),
        .init(name: "bare number is not a duration", yaml: "limits:\n  default_timeout: 30", code: .invalidDuration, line: 2, keyPath: "limits.default_timeout"),
        .init(name: "zero duration", yaml: "limits:\n  default_timeout: 0s", code: .invalidDuration, line: 2, keyPath: "limits.default_timeout"),
        .init(name: "fractional duration", yaml: "limits:\n  default_timeout: 1.5s", code: .invalidDuration, line: 2, keyPath: "limits.default_timeout"),
        .init(name: "duration above a day", yaml: "limits:\n  default_timeout: 25h", code: .invalidDuration, line: 2, keyPath: "limits.default_timeout"),
        .init(name: "relative argv[0]", yaml: "commands:\n  df:\n    argv: [df, -h]", code: .relativePath, line: 3, keyPath: "commands.df.argv[0]"),
        .init(name: "dot-relative argv[0]", yaml: "commands:\n  df:\n    argv: [./df]", code: .relativePath, line: 3, keyPath: "commands.df.argv[0]"),
        .init(name: "empty argv", yaml: "commands:\n  df:\n    argv: []", code: .emptyArgv, line: 3, keyPath: "commands.df.argv"),
        .init(name: "argv as a string", yaml: "commands:\n  df:\n    argv: /usr/bin/df -h", code: .wrongType, line: 3, keyPath: "commands.df.argv"),
        .init(name: "argv element is a list", yaml: "commands:\n  df:\n    argv:\n      - /usr/bin/df\n      - [-h]", code: .wrongType, line: 5, keyPath: "commands.df.argv[1]"),
        .init(name: "missing argv", yaml: "commands:\n  df:\n    timeout: 5s", code: .missingKey, line: 3, keyPath: "commands.df"),
        .init(name: "command entry is not a mapping", yaml: "commands:\n  df: /usr/bin/df", code: .wrongType, line: 2, keyPath: "commands.df"),
        .init(name: "invalid regex", yaml: """
            commands:
              logs:
                argv: [/usr/bin/journalctl]
                max_args: 1
                arg_pattern: "([a-z"
            """, code: .invalidPattern, line: 5, keyPath: "commands.logs.arg_pattern"),
        .init(name: "max_args without arg_pattern", yaml: """
            commands:
              logs:
                argv: [/usr/bin/journalctl]
                max_args: 2
            """, code: .missingKey, line: 4, keyPath: "commands.logs.arg_pattern"),
        .init(name: "max_args out of range", yaml: "commands:\n  x:\n    argv: [/bin/x]\n    max_args: 100", code: .invalidValue, line: 4, keyPath: "commands.x.max_args"),
        .init(name: "negative max_args", yaml: "commands:\n  x:\n    argv: [/bin/x]\n    max_args: -1", code: .invalidValue, line: 4, keyPath: "commands.x.max_args"),
        .init(name: "user is reserved", yaml: "commands:\n  x:\n    argv: [/bin/x]\n    user: root", code: .unsupported, line: 4, keyPath: "commands.x.user"),
        .init(name: "invalid command name", yaml: "commands:\n  rm rf:\n    argv: [/bin/rm]", code: .invalidName, line: 2, keyPath: "commands.rm rf"),
        .init(name: "command name starting with dash", yaml: "commands:\n  -x:\n    argv: [/bin/rm]", code: .invalidName, line: 2, keyPath: "commands.-x"),
        .init(name: "invalid env name", yaml: "commands:\n  x:\n    argv: [/bin/x]\n    env: {1BAD: v}", code: .invalidName, line: 4, keyPath: "commands.x.env.1BAD"),
        .init(name: "null env value", yaml: "commands:\n  x:\n    argv: [/bin/x]\n    env:\n      LANG:", code: .wrongType, line: 5, keyPath: "commands.x.env.LANG"),
        .init(name: "NUL in argv", yaml: "commands:\n  x:\n    argv: [\"/bin/echo\", \"a\\0b\"]", code: .invalidValue, line: 3, keyPath: "commands.x.argv[1]"),
        .init(name: "reboot as a string", yaml: "reboot: \"yes please\"", code: .wrongType, line: 1, keyPath: "reboot"),
        .init(name: "reboot as a number", yaml: "reboot: 1", code: .wrongType, line: 1, keyPath: "reboot"),
        .init(name: "quoted boolean", yaml: "shell: \"true\"", code: .wrongType, line: 1, keyPath: "shell"),
        .init(name: "unknown service operation", yaml: "services:\n  nginx: [status, reload]", code: .invalidValue, line: 2, keyPath: "services.nginx[1]"),
        .init(name: "invalid service name", yaml: "services:\n  \"bad unit!\": [status]", code: .invalidName, line: 2, keyPath: "services.bad unit!"),
        .init(name: "service without operations list", yaml: "services:\n  nginx:", code: .wrongType, line: 2, keyPath: "services.nginx"),
        .init(name: "zero output limit", yaml: "limits:\n  output_max_bytes: 0", code: .invalidValue, line: 2, keyPath: "limits.output_max_bytes"),
        .init(name: "output limit with unit", yaml: "limits:\n  output_max_bytes: 1MB", code: .wrongType, line: 2, keyPath: "limits.output_max_bytes"),
        .init(name: "hex job count", yaml: "limits:\n  max_concurrent_jobs: 0x10", code: .wrongType, line: 2, keyPath: "limits.max_concurrent_jobs"),
        .init(name: "relative boot id file", yaml: "system:\n  boot_id_file: boot_id", code: .relativePath, line: 2, keyPath: "system.boot_id_file"),
        .init(name: "empty service manager", yaml: "system:\n  service_manager: []", code: .emptyArgv, line: 2, keyPath: "system.service_manager"),
        .init(name: "relative service manager path", yaml: "system:\n  service_manager: [bin/systemctl]", code: .relativePath, line: 2, keyPath: "system.service_manager[0]"),
        .init(name: "top level is a list", yaml: "- reboot: true", code: .wrongType, line: 1, keyPath: ""),
        .init(name: "section is a list", yaml: "\n\ncommands:\n  - /bin/x", code: .wrongType, line: 4, keyPath: "commands"),
        .init(name: "YAML syntax error", yaml: "services:\n  nginx: [status\nreboot: true", code: .syntax, line: 3, keyPath: ""),
        .init(name: "duplicate key", yaml: "reboot: false\nshell: false\nreboot: true", code: .syntax, line: 1, keyPath: ""),
        .init(name: "non-scalar key", yaml: "? [a, b]\n: c", code: .wrongType, line: 1, keyPath: ""),
    ]

    @Test(arguments: cases)
    func rejectsInvalidPolicy(_ row: PolicyErrorCase) {
        let error = #expect(throws: PolicyError.self) {
            _ = try AgentPolicy.parse(yaml: row.yaml, path: "agent.yaml")
        }
        #expect(error?.code == row.code)
        #expect(error?.line == row.line)
        #expect(error?.keyPath == row.keyPath)
        #expect(error?.path == "agent.yaml")
    }

    @Test func describesTheErrorWithFileLineAndKeyPath() {
        let yaml = "reboot: false\nshell: false\ncommands:\n  disk-usage:\n    argv: [/usr/bin/df]\n    max_args: 0\n    timeout: 3x"
        let error = #expect(throws: PolicyError.self) {
            _ = try AgentPolicy.parse(yaml: yaml, path: "agent.yaml")
        }
        let description = error?.description ?? ""
        #expect(description.hasPrefix("agent.yaml:7: commands.disk-usage.timeout: \"3x\" is not a duration"))
    }

    @Test func unknownKeyErrorListsTheKnownKeys() {
        let error = #expect(throws: PolicyError.self) {
            _ = try AgentPolicy.parse(yaml: "limits:\n  max_jobs: 3", path: "/etc/steward/agent.yaml")
        }
        #expect(error?.description ==
            "/etc/steward/agent.yaml:2: limits.max_jobs: unknown key (expected one of: default_timeout, max_concurrent_jobs, output_max_bytes, spool_max_bytes)")
    }
}
