/// What `steward-agent enroll` was asked to do.
public struct EnrollmentRequest: Sendable, Hashable {
    /// The `stw1_...` join token printed by `steward tokens create`.
    public var token: String
    /// The agent name to ask for, e.g. "web-01".
    public var name: String
    /// Replace an existing enrollment in the state directory.
    public var force: Bool

    public init(token: String, name: String, force: Bool = false) {
        self.token = token
        self.name = name
        self.force = force
    }

    static let maxNameLength = 64

    /// Why `name` is not acceptable, or nil: letters, digits, '.', '_' and '-', starting with a
    /// letter or digit, so it reads well in chat and globs (`web-*`).
    static func problem(withName name: String) -> String? {
        let bytes = Array(name.utf8)
        guard let first = bytes.first else { return "the agent name is empty" }
        guard bytes.count <= maxNameLength else { return "the agent name is longer than \(maxNameLength) characters" }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        }
        guard isAlphanumeric(first),
            bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else {
            return "the agent name may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit"
        }
        return nil
    }
}
