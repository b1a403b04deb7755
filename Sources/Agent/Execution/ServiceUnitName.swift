/// Rules for the service unit names the agent passes to the service manager.
public enum ServiceUnitName {
    /// systemd's own limit on unit name length.
    public static let maxLength = 255

    /// Why `name` is not an acceptable unit name, or `nil` when it is.
    ///
    /// Only `[A-Za-z0-9@._:-]` is allowed, so a name can carry neither shell syntax nor a glob
    /// (`systemctl stop '*'`); a leading '-' would be read as an option.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "the unit name is empty" }
        if name.utf8.count > maxLength { return "the unit name is longer than \(maxLength) bytes" }
        if name.hasPrefix("-") { return "the unit name '\(name)' starts with '-'" }
        if let bad = name.unicodeScalars.first(where: { !isAllowed($0) }) {
            return "the unit name contains the character \(bad.escaped(asASCII: true).debugDescription)"
        }
        return nil
    }

    public static func isValid(_ name: String) -> Bool { problem(with: name) == nil }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "@", ".", "_", ":", "-": true
        default: false
        }
    }
}
