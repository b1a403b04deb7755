import Testing

@testable import StewardController

/// Word splitting and quoting, and the input limits.
@Suite struct ChatTokenizerTests {
    static let splits: [(String, [String])] = [
        ("a b  c", ["a", "b", "c"]),
        ("  lead and trail  ", ["lead", "and", "trail"]),
        ("'single quoted' word", ["single quoted", "word"]),
        (#""double quoted" word"#, ["double quoted", "word"]),
        (#"ab"c d"e"#, ["abc de"]),
        (#"'it''s'"#, ["its"]),
        (#""a\"b""#, [#"a"b"#]),
        (#""a\\b""#, [#"a\b"#]),
        (#""C:\temp""#, [#"C:\temp"#]),
        (#"'no \" escapes'"#, [#"no \" escapes"#]),
        (#"back\slash"#, [#"back\slash"#]),
        (#""" x"#, ["", "x"]),
        ("$(rm -rf /)", ["$(rm", "-rf", "/)"]),
        ("a;b|c&&d `e`", ["a;b|c&&d", "`e`"]),
        ("line\nbreak\r\nand\ttab", ["line", "break", "and", "tab"]),
        ("‘smart single’ “smart double”", ["smart single", "smart double"]),
        ("don’t", ["don’t"]),
        ("héllo wörld 日本", ["héllo", "wörld", "日本"]),
    ]

    @Test(arguments: splits)
    func splitsIntoWords(text: String, words: [String]) throws {
        #expect(try ChatTokenizer.tokenize(text).map(\.text) == words)
    }

    @Test func recordsQuotingAndOffsets() throws {
        let tokens = try ChatTokenizer.tokenize(#"run "on" x'y' on web"#)
        #expect(tokens.map(\.isQuoted) == [false, true, true, false, false])
        #expect(tokens.map(\.offset) == [0, 4, 9, 14, 17])
    }

    static let unterminated: [(String, Int)] = [
        (#"run echo "abc on web"#, 9),
        ("run echo 'abc on web", 9),
        (#""abc\""#, 0),
        (#"x "a" "b"#, 6),
        ("“open", 0),
    ]

    @Test(arguments: unterminated)
    func unterminatedQuoteReportsWhereItOpened(text: String, offset: Int) throws {
        #expect {
            try ChatTokenizer.tokenize(text)
        } throws: { error in
            guard let error = error as? ChatParseError else { return false }
            return error.code == .syntax && error.offset == offset && error.message.contains("column \(offset + 1)")
        }
    }

    static let controls: [(String, Int)] = [
        ("metrics all\u{0}", 11),
        ("metrics \u{1B}[31mall", 8),
        ("\u{7}metrics", 0),
        ("metrics\u{7F} all", 7),
        ("metrics \u{85}all", 8),
        ("run x '\ttab' on web", 7),
        ("run x \"a\nb\" on web", 8),
        ("run x \u{202E}gnp.exe on web", 6),
        ("run x \u{2066}y on web", 6),
    ]

    @Test(arguments: controls)
    func controlCharactersAreRefused(text: String, offset: Int) throws {
        #expect {
            try ChatTokenizer.tokenize(text)
        } throws: { error in
            (error as? ChatParseError)?.code == .syntax && (error as? ChatParseError)?.offset == offset
        }
    }

    @Test func acceptsExactlyTheByteLimit() throws {
        let atLimit = String(repeating: "a", count: ChatTokenizer.maxBytes)
        #expect(try ChatTokenizer.tokenize(atLimit).count == 1)
        // Multi-byte characters count in bytes, not characters: 2049 × "é" is 4098 bytes.
        let wide = String(repeating: "é", count: 2049)
        #expect(throws: ChatParseError.self) { try ChatTokenizer.tokenize(wide) }
        do {
            _ = try ChatTokenizer.tokenize(atLimit + "a")
            Issue.record("4097 bytes were accepted")
        } catch {
            #expect(error.code == .tooLong)
        }
    }

    @Test func acceptsExactlyTheWordLimit() throws {
        let words = Array(repeating: "w", count: ChatTokenizer.maxTokens)
        #expect(try ChatTokenizer.tokenize(words.joined(separator: " ")).count == 64)
        do {
            _ = try ChatTokenizer.tokenize((words + ["w"]).joined(separator: " "))
            Issue.record("65 words were accepted")
        } catch {
            #expect(error.code == .tooLong)
            #expect(error.offset == 128)
        }
    }
}
