@testable import StewardAgent

enum PolicyTestFixtures {
    /// The example from the design brief, plus a command that takes arguments.
    static let sampleYAML = """
        services:
          nginx: [status, restart]        # allowed ops per unit
          postgresql: [status]
        reboot: false
        commands:
          disk-usage:
            argv: ["/usr/bin/df", "-h"]
            timeout: 30s
            max_args: 0
            env: {LC_ALL: C}
            user: null
          logs:
            argv: [/usr/bin/journalctl, --no-pager, -u]
            max_args: 2
            arg_pattern: "^[a-z0-9-]+$"
          grep-word:
            argv: [/usr/bin/grep, -r]
            max_args: 1
            arg_pattern: "[a-z]+"
          echo-anything:
            argv: [/bin/echo]
            max_args: 3
            arg_pattern: ".*"
        shell: false
        limits:
          output_max_bytes: 1048576
          default_timeout: 5m
          max_concurrent_jobs: 8
        system:
          service_manager: ["systemctl"]
          reboot_command: ["systemctl", "reboot"]
          boot_id_file: /proc/sys/kernel/random/boot_id
        """

    static func sample() throws -> AgentPolicy {
        try AgentPolicy.parse(yaml: sampleYAML, path: "agent.yaml")
    }
}
