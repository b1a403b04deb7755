/// `{name}` placeholders in the patterns, action arguments and target selectors of `commands.yaml`.
///
/// Substitution is plain text into one argv element or one selector string; nothing is ever handed to
/// a shell, and values never split into more than one element.
enum AliasTemplate {
    enum Piece: Hashable {
        case text(String)
        case placeholder(String)
    }

    /// The template split into text and placeholders; nil when a brace is unmatched, nested or empty, or
    /// a placeholder is not a parameter name.
    static func pieces(_ template: String) -> [Piece]? {
        var pieces: [Piece] = []
        var text = ""
        var name: String?
        for character in template {
            switch (character, name) {
            case ("{", nil):
                if !text.isEmpty { pieces.append(.text(text)) }
                text = ""
                name = ""
            case ("}", let open?):
                guard isParameterName(open) else { return nil }
                pieces.append(.placeholder(open))
                name = nil
            case ("{", _), ("}", nil):
                return nil
            case (_, let open?):
                name = open + String(character)
            default:
                text.append(character)
            }
        }
        guard name == nil else { return nil }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    /// The names used in `template`, in order; nil when the template is malformed.
    static func placeholders(_ template: String) -> [String]? {
        pieces(template)?.compactMap { piece in
            if case .placeholder(let name) = piece { return name }
            return nil
        }
    }

    /// `template` with each placeholder replaced by its value (a missing value leaves it empty; the
    /// loader guarantees every placeholder names a parameter of the pattern).
    static func render(_ template: String, values: [String: String]) -> String {
        guard let pieces = pieces(template) else { return template }
        return pieces.map { piece in
            switch piece {
            case .text(let text): text
            case .placeholder(let name): values[name] ?? ""
            }
        }.joined()
    }

    /// Parameter names: a lower-case letter or `_`, then letters, digits or `_`; at most 32.
    static func isParameterName(_ text: String) -> Bool {
        guard let first = text.utf8.first, first == UInt8(ascii: "_") || (first >= 0x61 && first <= 0x7A),
            text.utf8.count <= 32
        else { return false }
        return text.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}
