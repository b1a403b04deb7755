/// The permission names rules grant and requests ask for, and the wildcards rules may use.
///
/// Concrete names: the plain commands below, `service.<status|start|stop|restart>` and `exec:<name>`.
/// Patterns (rules only): `service.*`, `exec:*` and `*`.
public enum ChatPermission {
    /// Commands without a sub-name.
    public static let plain: [String] = [
        "agents", "approve", "cancel", "deny", "facts", "help", "history", "job", "metrics", "ping", "reboot", "whoami",
    ]
    public static let serviceOperations: [String] = ["status", "start", "stop", "restart"]

    /// Whether `name` is a permission a request can ask for (no wildcards).
    public static func isConcrete(_ name: String) -> Bool {
        if plain.contains(name) { return true }
        if name.hasPrefix("service.") { return serviceOperations.contains(String(name.dropFirst(8))) }
        if name.hasPrefix("exec:") { return isCommandName(name.dropFirst(5)) }
        return false
    }

    /// Whether `pattern` may appear in a rule's `commands`.
    public static func isValidPattern(_ pattern: String) -> Bool {
        pattern == "*" || pattern == "service.*" || pattern == "exec:*" || isConcrete(pattern)
    }

    /// Whether a rule's `pattern` grants the concrete `permission`.
    public static func pattern(_ pattern: String, matches permission: String) -> Bool {
        switch pattern {
        case "*": return true
        case "service.*": return permission.hasPrefix("service.")
        case "exec:*": return permission.hasPrefix("exec:")
        default: return pattern == permission
        }
    }

    /// The concrete names a pattern stands for, for `help`; `exec:*` stays as it is (the names are open-ended).
    static func expand(_ pattern: String) -> [String] {
        let services = serviceOperations.map { "service.\($0)" }
        switch pattern {
        case "*": return plain + services + ["exec:*"]
        case "service.*": return services
        default: return [pattern]
        }
    }

    /// Agent command names: 1-64 of `[A-Za-z0-9._-]`, starting with a letter or digit (as in agent.yaml).
    static func isCommandName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64, isAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }
}
