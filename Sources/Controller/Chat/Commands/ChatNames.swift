/// Character rules for the names a chat command carries to agents, checked before anything runs.
enum ChatNames {
    /// A systemd-style unit: letters, digits and `@ . _ : -`, not starting with `-` (it would read as a flag).
    static func isServiceUnit(_ text: String) -> Bool {
        guard (1...256).contains(text.utf8.count), !text.hasPrefix("-") else { return false }
        return text.utf8.allSatisfy { isAlphanumeric($0) || "@._:-".utf8.contains($0) }
    }

    /// A command name from the agents' allow-list: 1-64 letters, digits and `. _ -`, starting with a letter
    /// or digit (as in agent.yaml and `ChatPermission`).
    static func isCommandName(_ text: String) -> Bool {
        guard let first = text.utf8.first, isAlphanumeric(first), text.utf8.count <= 64 else { return false }
        return text.utf8.allSatisfy { isAlphanumeric($0) || "._-".utf8.contains($0) }
    }

    /// A host name as `TargetSelector` accepts it (letters, digits, `. _ -`).
    static func isHost(_ text: String) -> Bool {
        TargetSelector.isName(text)
    }

    /// A job id as typed: a full ULID or a prefix of one, 1 to 26 letters and digits; nil otherwise.
    /// Upper-cased because ids are upper-case Crockford base32 and people type them in lower case.
    static func jobID(_ text: String) -> String? {
        guard (1...26).contains(text.utf8.count), text.utf8.allSatisfy(isAlphanumeric) else { return nil }
        return text.uppercased()
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }
}
