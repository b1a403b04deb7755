/// Builds client-server API paths with every identifier percent-encoded as one path segment.
///
/// Room ids are opaque: `!abc:example.org` and, from room version 12 on, `!abc` with no server part.
/// Nothing here parses them; `!`, `:`, `$`, `@`, `/`, `?` and `#` are all encoded, so any id stays one segment.
public enum MatrixPath {
    static let clientV3 = "/_matrix/client/v3"

    /// Percent-encodes everything outside RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`).
    public static func segment(_ value: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if isUnreserved(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + hex(byte >> 4) + hex(byte & 0x0F)
            }
        }
        return encoded
    }

    /// A query string (`a=1&b=2`) with names and values encoded like segments.
    public static func query(_ items: [(String, String)]) -> String {
        items.map { "\(segment($0.0))=\(segment($0.1))" }.joined(separator: "&")
    }

    static func send(room: String, eventType: String, transactionID: String) -> String {
        "\(clientV3)/rooms/\(segment(room))/send/\(segment(eventType))/\(segment(transactionID))"
    }

    static func join(room: String) -> String { "\(clientV3)/join/\(segment(room))" }

    static func accountData(user: String, type: String) -> String {
        "\(clientV3)/user/\(segment(user))/account_data/\(segment(type))"
    }

    static func displayName(user: String) -> String { "\(clientV3)/profile/\(segment(user))/displayname" }

    static let whoami = "\(clientV3)/account/whoami"
    static let sync = "\(clientV3)/sync"
    static let joinedRooms = "\(clientV3)/joined_rooms"

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hex(_ nibble: UInt8) -> String {
        String(UnicodeScalar(nibble < 10 ? nibble + 48 : nibble + 55))
    }
}
