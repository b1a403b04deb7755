/// Text from the server that ends up in logs and `/healthz` (error reasons, frame types): control characters
/// replaced and the length capped, so a hostile server cannot forge log lines or flood them.
enum RocketChatText {
    static let maxShownCharacters = 300

    static func shown(_ text: String) -> String {
        var result = ""
        for character in text.prefix(maxShownCharacters) {
            let isControl = character.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }
            result.append(isControl ? " " : character)
        }
        return text.count > maxShownCharacters ? result + "…" : result
    }

    /// Rocket.Chat ids (users, rooms, messages): 17 random letters and digits, a DM's two user ids joined, or
    /// fixed names such as `GENERAL`. Anything else in an id field is hostile or broken input.
    static func isID(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
    }
}
