import Testing
@testable import StewardController

/// Reply text made safe for IRC and cut to size without breaking a character.
@Suite struct IRCTextTests {
    static let cleaned: [(String, [String])] = [
        ("one\ntwo", ["one", "two"]),
        ("crlf\r\nlf\ncr\rend", ["crlf", "lf", "cr", "end"]),
        ("nel\u{85}ls\u{2028}ps\u{2029}end", ["nel", "ls", "ps", "end"]),
        ("QUIT :x\r\nPRIVMSG #evil :injected", ["QUIT :x", "PRIVMSG #evil :injected"]),
        ("\u{1}ACTION waves\u{1}", ["ACTION waves"]),
        ("\u{2}bold\u{2} \u{3}04red\u{3} \u{1F}u\u{1F}\u{0}nul\u{7F}del\u{9B}csi", ["bold 04red unuldelcsi"]),
        ("tab\there", ["tab here"]),
        ("a\n\n   \nb", ["a", "b"]),
        ("  indented", ["  indented"]),
        ("trailing   \nnext \t", ["trailing", "next"]),
        ("", []),
    ]

    @Test(arguments: cleaned)
    func linesAreCleanedAndSplitOnEveryLineBreak(_ text: String, _ expected: [String]) {
        let lines = IRCText.lines(of: text)
        #expect(lines == expected)
        for line in lines {
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
    }

    static let samples: [String] = [
        String(repeating: "a", count: 1200),
        String(repeating: "é", count: 700),
        String(repeating: "日本語", count: 300),
        String(repeating: "😀", count: 300),
        String(repeating: "ab€😀 ", count: 200),
        String(repeating: "👩‍👩‍👧‍👦", count: 60),
        "e" + String(repeating: "\u{301}", count: 400) + " tail",
        String(repeating: "word ", count: 300),
    ]

    @Test(arguments: samples, [4, 5, 7, 100, 431, 496])
    func piecesFitAreValidAndReassemble(_ line: String, _ budget: Int) {
        let pieces = IRCText.split(line, maxBytes: budget)
        #expect(pieces.joined() == line)
        for piece in pieces {
            #expect(piece.utf8.count <= budget)
            #expect(!piece.isEmpty)
            // Every piece is whole UTF-8 on its own: it round-trips through bytes unchanged.
            #expect(String(decoding: Array(piece.utf8), as: UTF8.self) == piece)
        }
    }

    @Test func cutsFallBetweenCharactersAtTheBoundary() {
        // 9 bytes of 'a' then a 4-byte emoji: with 10 bytes to spend the emoji must move whole to the next piece.
        #expect(IRCText.split("aaaaaaaaa😀b", maxBytes: 10) == ["aaaaaaaaa", "😀b"])
        #expect(IRCText.split("aaaaaaaa€€", maxBytes: 10) == ["aaaaaaaa", "€€"])
        #expect(IRCText.split("ab", maxBytes: 10) == ["ab"])
    }

    @Test func aFamilyEmojiStaysWholeWhenItFits() {
        let family = "👩‍👩‍👧‍👦"  // 25 bytes, one character
        #expect(IRCText.split("x" + family, maxBytes: 25) == ["x", family])
    }

    /// The space moves to the next piece: servers drop trailing spaces, not leading ones.
    @Test func wordsAreKeptWholeWhenASpaceIsNearTheEnd() {
        #expect(IRCText.split("alpha beta gamma delta epsilon", maxBytes: 25) == ["alpha beta gamma delta", " epsilon"])
        // A space far from the end is not worth a short piece: cut where the piece is full.
        #expect(IRCText.split("a bcdefghijklmnopqrstuvwxyz", maxBytes: 20) == ["a bcdefghijklmnopqrs", "tuvwxyz"])
    }

    @Test func theBudgetLeavesRoomForTheRelayedPrefix() {
        // ":steward!~steward@127.0.0.1 PRIVMSG #ops :" + text + CRLF = 512
        let source = "steward!~steward@127.0.0.1"
        let budget = IRCText.budget(sourceLength: source.utf8.count, target: "#ops")
        let relayed = ":\(source) PRIVMSG #ops :" + String(repeating: "x", count: budget) + "\r\n"
        #expect(relayed.utf8.count == 512)
    }
}
