extension IRCMessage {
    /// Parses one line from the server, without its CR/LF terminator.
    ///
    /// Invalid UTF-8 becomes U+FFFD (IRC has no declared encoding); a NUL, CR or LF inside the line, an
    /// over-long line, a missing or malformed command are errors. Runs of spaces between parameters are
    /// tolerated, as servers in the wild send them.
    public static func parse(_ line: [UInt8]) throws(IRCError) -> IRCMessage {
        if let bad = line.firstIndex(where: { $0 == 0 || $0 == IRCByte.cr || $0 == IRCByte.lf }) {
            throw IRCError(.malformedLine, "byte \(line[bad]) at offset \(bad) may not appear inside a line")
        }
        var index = 0
        var tags: [String: String] = [:]
        if line.first == IRCByte.at {
            let end = line[1...].firstIndex(of: IRCByte.space) ?? line.endIndex
            guard end + 1 <= maxTagsLength else {
                throw IRCError(.lineTooLong, "the tags take \(end + 1) bytes (at most \(maxTagsLength))")
            }
            tags = parseTags(line[1..<end])
            index = skipSpaces(line, from: end)
        }
        guard line.count - index <= maxLineLength - 2 else {
            throw IRCError(.lineTooLong, "the line takes \(line.count - index + 2) bytes with CRLF (at most \(maxLineLength))")
        }
        var source: IRCSource?
        if index < line.count, line[index] == IRCByte.colon {
            let end = line[index...].firstIndex(of: IRCByte.space) ?? line.endIndex
            guard end - index > 1 else { throw IRCError(.malformedLine, "the source after ':' is empty") }
            source = IRCSource(parsing: text(line[(index + 1)..<end]))
            index = skipSpaces(line, from: end)
        }
        let commandEnd = line[index...].firstIndex(of: IRCByte.space) ?? line.endIndex
        let command = try parseCommand(line[index..<commandEnd])
        index = skipSpaces(line, from: commandEnd)
        var parameters: [String] = []
        while index < line.count {
            if line[index] == IRCByte.colon || parameters.count == maxParameters - 1 {
                // The trailing parameter (or the 15th, which RFC 1459 lets run to the end of the line).
                let start = line[index] == IRCByte.colon ? index + 1 : index
                parameters.append(text(line[start...]))
                break
            }
            let end = line[index...].firstIndex(of: IRCByte.space) ?? line.endIndex
            parameters.append(text(line[index..<end]))
            index = skipSpaces(line, from: end)
        }
        return IRCMessage(tags: tags, source: source, command: command, parameters: parameters)
    }

    static func parseCommand(_ bytes: ArraySlice<UInt8>) throws(IRCError) -> String {
        let isWord = !bytes.isEmpty && bytes.allSatisfy { (IRCByte.upperA...IRCByte.upperZ).contains($0 & ~0x20) }
        let isNumeric = bytes.count == 3 && bytes.allSatisfy { (IRCByte.zero...IRCByte.nine).contains($0) }
        guard isWord || isNumeric else {
            throw IRCError(.malformedLine, "'\(text(bytes.prefix(32)))' is not a command (letters or three digits)")
        }
        return text(bytes).uppercased()
    }

    /// `key=value;key2;+client/key=v` with the IRCv3 value escapes undone.
    static func parseTags(_ bytes: ArraySlice<UInt8>) -> [String: String] {
        var tags: [String: String] = [:]
        for item in bytes.split(separator: IRCByte.semicolon) {
            let equals = item.firstIndex(of: IRCByte.equals)
            let key = text(item[item.startIndex..<(equals ?? item.endIndex)])
            guard !key.isEmpty else { continue }
            tags[key] = equals.map { unescapeTagValue(item[($0 + 1)...]) } ?? ""
        }
        return tags
    }

    static func unescapeTagValue(_ bytes: ArraySlice<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var escaping = false
        for byte in bytes {
            if escaping {
                escaping = false
                switch byte {
                case IRCByte.colon: output.append(IRCByte.semicolon)
                case UInt8(ascii: "s"): output.append(IRCByte.space)
                case UInt8(ascii: "r"): output.append(IRCByte.cr)
                case UInt8(ascii: "n"): output.append(IRCByte.lf)
                default: output.append(byte)  // `\\` and unknown escapes drop the backslash
                }
            } else if byte == IRCByte.backslash {
                escaping = true  // a trailing lone backslash is dropped
            } else {
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func skipSpaces(_ line: [UInt8], from index: Int) -> Int {
        var index = index
        while index < line.count, line[index] == IRCByte.space { index += 1 }
        return index
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

/// The bytes the IRC grammar is made of.
enum IRCByte {
    static let nul: UInt8 = 0
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let colon = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")
    static let equals = UInt8(ascii: "=")
    static let at = UInt8(ascii: "@")
    static let backslash = UInt8(ascii: "\\")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let upperA = UInt8(ascii: "A")
    static let upperZ = UInt8(ascii: "Z")
}
