/// A chat message that is not a command the bot can carry out; the reply shows `description`.
///
/// Tests compare `code`; `description` reads "unknown command `metircs`: did you mean `metrics`?" or
/// "service name missing\nusage: `restart SERVICE on SELECTOR [OPTIONS]`".
public struct ChatParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Extensible error code; compare against the static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The first word is neither a built-in verb nor an alias.
        public static let unknownCommand = Code(rawValue: "unknown_command")
        /// The verb is known but its arguments are missing, extra or invalid.
        public static let badArguments = Code(rawValue: "bad_arguments")
        /// An unknown, repeated or malformed `--option`, or an option on a verb that takes none.
        public static let badOption = Code(rawValue: "bad_option")
        /// Quoting or characters the tokenizer refuses (unterminated quote, control character).
        public static let syntax = Code(rawValue: "syntax")
        /// More than `ChatTokenizer.maxBytes` bytes or `ChatTokenizer.maxTokens` words.
        public static let tooLong = Code(rawValue: "too_long")
        /// Nothing after the mention or prefix.
        public static let empty = Code(rawValue: "empty")
    }

    public var code: Code
    /// What is wrong, in a sentence for the person who typed it.
    public var message: String
    /// The usage line of the verb, when the verb was recognised (or `help` for an empty command).
    public var usage: String?
    /// The closest known verb or option for a typo.
    public var suggestion: String?
    /// 0-based character offset into the command text where the problem is, when it is one place.
    public var offset: Int?

    public init(code: Code, message: String, usage: String? = nil, suggestion: String? = nil, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.usage = usage
        self.suggestion = suggestion
        self.offset = offset
    }

    public var description: String {
        var text = message
        if let suggestion { text += ": did you mean `\(suggestion)`?" }
        if let usage { text += "\nusage: `\(usage)`" }
        return text
    }
}
