/// One word of a command. Quoted words are always literal: never a keyword such as `on`, never an option.
public struct ChatToken: Sendable, Hashable {
    public var text: String
    /// Whether any part of the word was inside quotes.
    public var isQuoted: Bool
    /// 0-based offset (in Unicode scalars) of the word's first character in the command text.
    public var offset: Int

    public init(_ text: String, isQuoted: Bool = false, offset: Int = 0) {
        self.text = text
        self.isQuoted = isQuoted
        self.offset = offset
    }
}

/// Splits command text into words, shell-like but without any expansion: `'single'` quotes are literal,
/// `"double"` quotes allow `\"` and `\\`, adjacent pieces join (`a"b c"` is one word), and nothing is
/// ever interpreted (`$(rm -rf /)` is just text).
///
/// Typographic quotes (“ ” ‘ ’) count as plain ones because chat clients and phones substitute them;
/// a `’` outside quotes stays an apostrophe.
public enum ChatTokenizer {
    /// Longest accepted command text, in UTF-8 bytes.
    public static let maxBytes = 4096
    /// Most words in one command.
    public static let maxTokens = 64

    public static func tokenize(_ text: String) throws(ChatParseError) -> [ChatToken] {
        let byteCount = text.utf8.count
        guard byteCount <= maxBytes else {
            throw ChatParseError(code: .tooLong, message: "the command is \(byteCount) bytes long; the limit is \(maxBytes)")
        }
        var tokens: [ChatToken] = []
        var word = String.UnicodeScalarView()
        var wordStart: Int?
        var wordQuoted = false
        var quote: (scalar: Unicode.Scalar, offset: Int)?
        var escaping = false

        func finishWord() throws(ChatParseError) {
            guard let start = wordStart else { return }
            guard tokens.count < maxTokens else {
                throw ChatParseError(code: .tooLong, message: "the command has more than \(maxTokens) words", offset: start)
            }
            tokens.append(ChatToken(String(word), isQuoted: wordQuoted, offset: start))
            word = String.UnicodeScalarView()
            wordStart = nil
            wordQuoted = false
        }

        for (offset, original) in text.unicodeScalars.enumerated() {
            let scalar = normalizedQuote(original, insideQuotes: quote != nil)
            try checkAllowed(original, at: offset, insideQuotes: quote != nil)
            if let open = quote {
                if open.scalar == "\"" {
                    if escaping {
                        // Only `\"` and `\\` are escapes; any other backslash stays, so `"C:\temp"` survives.
                        if scalar != "\"" && scalar != "\\" { word.append("\\") }
                        word.append(original)
                        escaping = false
                        continue
                    }
                    if scalar == "\\" {
                        escaping = true
                        continue
                    }
                }
                if scalar == open.scalar { quote = nil } else { word.append(original) }
                continue
            }
            if scalar.properties.isWhitespace {
                try finishWord()
                continue
            }
            if wordStart == nil { wordStart = offset }
            if scalar == "\"" || scalar == "'" {
                quote = (scalar, offset)
                wordQuoted = true
            } else {
                word.append(original)
            }
        }
        if let open = quote {
            let kind = open.scalar == "\"" ? "double" : "single"
            throw ChatParseError(
                code: .syntax, message: "unterminated \(kind) quote opened at column \(open.offset + 1)", offset: open.offset)
        }
        try finishWord()
        return tokens
    }

    /// Control characters can hide or rewrite what a reader sees (and what an agent receives); direction
    /// overrides make text display differently from how it parses. Tab and line breaks separate words.
    private static func checkAllowed(_ scalar: Unicode.Scalar, at offset: Int, insideQuotes: Bool) throws(ChatParseError) {
        let separator = scalar == "\t" || scalar == "\n" || scalar == "\r"
        let control = scalar.properties.generalCategory == .control && !(separator && !insideQuotes)
        let bidi = (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
        guard control || bidi else { return }
        let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        throw ChatParseError(
            code: .syntax, message: "control character \(code) at column \(offset + 1) is not allowed", offset: offset)
    }

    /// Outside quotes `’` is an apostrophe (`it’s`), not an opening quote.
    private static func normalizedQuote(_ scalar: Unicode.Scalar, insideQuotes: Bool) -> Unicode.Scalar {
        switch scalar.value {
        case 0x201C, 0x201D: "\""
        case 0x2018: "'"
        case 0x2019: insideQuotes ? "'" : scalar
        default: scalar
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
