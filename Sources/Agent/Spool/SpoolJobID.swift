/// A job id checked to be safe as one path component: 1 to 64 of `[0-9A-Za-z_-]`.
///
/// Job ids arrive in network messages; the spool builds paths only from this type, so `../x`,
/// `a/b` or an empty id can never reach the file system.
public struct SpoolJobID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let maxLength = 64

    public let rawValue: String

    public init(_ rawValue: String) throws(SpoolError) {
        guard let problem = Self.problem(with: rawValue) else {
            self.rawValue = rawValue
            return
        }
        throw SpoolError(.invalidJobID, problem)
    }

    /// Why `text` is not a valid job id, or nil when it is.
    public static func problem(with text: String) -> String? {
        let bytes = text.utf8
        guard !bytes.isEmpty else { return "job id is empty" }
        guard bytes.count <= maxLength else { return "job id is \(bytes.count) bytes, limit \(maxLength)" }
        let allowed = bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        // Do not echo the hostile id itself: it may hold control characters meant for a terminal.
        return allowed ? nil : "job id may hold only letters, digits, '_' and '-'"
    }

    /// `text` when it is a valid id, else a placeholder: hostile ids never reach a log verbatim.
    public static func loggable(_ text: String) -> String {
        problem(with: text) == nil ? text : "<invalid>"
    }

    public var description: String { rawValue }

    public static func < (lhs: SpoolJobID, rhs: SpoolJobID) -> Bool { lhs.rawValue < rhs.rawValue }
}
