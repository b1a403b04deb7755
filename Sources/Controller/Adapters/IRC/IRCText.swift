/// Turns reply text into PRIVMSG payloads that are safe and fit: one line each, no control characters,
/// at most the bytes the server can relay, cut only between characters.
enum IRCText {
    /// The lines of `text` as they may be sent: line breaks (CR, LF, CRLF, NEL, U+2028, U+2029) end a line,
    /// a tab becomes a space, other C0 and C1 controls and DEL (CTCP's \u{1}, colour and bold codes, NUL)
    /// are dropped, trailing spaces too, and empty lines are left out (IRC cannot send an empty message).
    static func lines(of text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        func endLine() {
            // Servers drop trailing spaces anyway (ngIRCd does); dropping them here keeps what we send what arrives.
            while current.last == " " { current.removeLast() }
            if !current.isEmpty { lines.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: endLine()
            case 0x09: current.append(" ")
            case 0x00...0x1F, 0x7F...0x9F: continue
            default: current.append(scalar)
            }
        }
        endLine()
        return lines
    }

    /// Cuts `line` into pieces of at most `maxBytes` UTF-8 bytes. Cuts fall between characters (between
    /// scalars only when one character alone is too long), before a space when one is near the end of a
    /// piece (so the space leads the next piece: servers keep leading spaces but drop trailing ones);
    /// joining the pieces gives `line` back.
    static func split(_ line: String, maxBytes: Int) -> [String] {
        precondition(maxBytes >= 4, "a piece must hold any one scalar")
        guard line.utf8.count > maxBytes else { return [line] }
        var pieces: [String] = []
        var piece = ""
        var pieceBytes = 0
        for character in line {
            let size = character.utf8.count
            if pieceBytes + size <= maxBytes {
                piece.append(character)
                pieceBytes += size
                continue
            }
            if size > maxBytes {
                // One enormous grapheme (a base with hundreds of combining marks): cut it between scalars.
                for scalar in character.unicodeScalars {
                    let scalarSize = String(scalar).utf8.count
                    if pieceBytes + scalarSize > maxBytes {
                        pieces.append(piece)
                        piece = ""
                        pieceBytes = 0
                    }
                    piece.unicodeScalars.append(scalar)
                    pieceBytes += scalarSize
                }
                continue
            }
            var (head, tail) = breakBeforeSpace(piece, maxBytes: maxBytes)
            if tail.utf8.count + size > maxBytes { (head, tail) = (piece, "") }
            pieces.append(head)
            piece = tail + String(character)
            pieceBytes = piece.utf8.count
        }
        if !piece.isEmpty { pieces.append(piece) }
        return pieces
    }

    /// Moves the last space of a full piece and the word after it to the next piece, when that space is
    /// within the piece's last fifth; otherwise cuts where the piece is full.
    static func breakBeforeSpace(_ piece: String, maxBytes: Int) -> (String, String) {
        guard let space = piece.lastIndex(of: " "), space != piece.startIndex else { return (piece, "") }
        let tail = piece[space...]
        guard tail.utf8.count < maxBytes / 5 else { return (piece, "") }
        return (String(piece[..<space]), String(tail))
    }

    /// Bytes left for the text of `PRIVMSG target :text` once the server relays it to others as
    /// `:nick!user@host PRIVMSG target :text\r\n`, which must fit in 512 bytes.
    static func budget(sourceLength: Int, target: String) -> Int {
        let overhead = 1 + sourceLength + 1 + "PRIVMSG".utf8.count + 1 + target.utf8.count + 2 + 2
        return max(IRCMessage.maxLineLength - overhead, 4)
    }
}
