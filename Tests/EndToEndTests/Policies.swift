/// Agent policies the end-to-end tests use.
enum Policies {
    static let standard = """
        commands:
          hello:
            argv: ["/bin/echo", "hello from steward"]
          stream:
            argv: ["/bin/sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.2; done"]
          fail:
            argv: ["/bin/sh", "-c", "echo oops >&2; exit 3"]
          slow:
            argv: ["/bin/sleep", "30"]
            timeout: 60s
          slow5:
            argv: ["/bin/sh", "-c", "sleep 5; echo finished"]
            timeout: 60s
          echo-args:
            argv: ["/bin/echo"]
            max_args: 2
            arg_pattern: "^[A-Za-z0-9$();| -]+$"
        """

    /// A policy whose reboot command "reboots" by changing the boot id and stopping the agent.
    static func rebootable(bootIDFile: String) -> String {
        """
        reboot: true
        system:
          boot_id_file: \(bootIDFile)
          reboot_command: ["/bin/sh", "-c", "echo boot-after-reboot > \(bootIDFile); kill -TERM $PPID"]
        """
    }
}
