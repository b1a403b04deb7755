extension IRCMessage {
    /// The line to send, CRLF included.
    ///
    /// Refuses (rather than cleans) anything that would change the line's meaning: CR, LF or NUL anywhere,
    /// a space or leading `:` in a middle parameter, an empty middle parameter, a line over 512 bytes.
    /// Text from people or programs is cleaned before it gets here (``IRCText``).
    public func serialized() throws(IRCError) -> [UInt8] {
        var line: [UInt8] = []
        if !tags.isEmpty {
            line.append(IRCByte.at)
            for (offset, key) in tags.keys.sorted().enumerated() {
                if offset > 0 { line.append(IRCByte.semicolon) }
                guard !key.isEmpty, !key.utf8.contains(where: { $0 <= IRCByte.space || $0 == IRCByte.equals || $0 == IRCByte.semicolon }) else {
                    throw IRCError(.invalidCharacter, "'\(key)' is not a tag key")
                }
                line += key.utf8
                if let value = tags[key], !value.isEmpty {
                    line.append(IRCByte.equals)
                    line += Self.escapeTagValue(value)
                }
            }
            line.append(IRCByte.space)
            guard line.count <= Self.maxTagsLength else {
                throw IRCError(.lineTooLong, "the tags take \(line.count) bytes (at most \(Self.maxTagsLength))")
            }
        }
        let tagsLength = line.count
        if let source {
            let text = source.description
            guard !text.isEmpty, !text.utf8.contains(where: Self.isForbiddenInWord) else {
                throw IRCError(.invalidCharacter, "the source '\(text)' holds a space or a control character")
            }
            line.append(IRCByte.colon)
            line += text.utf8
            line.append(IRCByte.space)
        }
        guard (try? Self.parseCommand(ArraySlice(command.utf8))) == command else {
            throw IRCError(.invalidCharacter, "'\(command)' is not an upper-case command or a numeric")
        }
        line += command.utf8
        guard parameters.count <= Self.maxParameters else {
            throw IRCError(.invalidCharacter, "\(parameters.count) parameters (at most \(Self.maxParameters))")
        }
        for (index, parameter) in parameters.enumerated() {
            line.append(IRCByte.space)
            let bytes = Array(parameter.utf8)
            if bytes.contains(where: { $0 == IRCByte.nul || $0 == IRCByte.cr || $0 == IRCByte.lf }) {
                throw IRCError(.invalidCharacter, "parameter \(index + 1) holds CR, LF or NUL")
            }
            let isLast = index == parameters.count - 1
            let needsTrailing = bytes.isEmpty || bytes.first == IRCByte.colon || bytes.contains(IRCByte.space)
            if needsTrailing {
                guard isLast else {
                    throw IRCError(.invalidCharacter, "middle parameter \(index + 1) ('\(parameter.prefix(32))') is empty, starts with ':' or holds a space")
                }
                line.append(IRCByte.colon)
            }
            line += bytes
        }
        line += [IRCByte.cr, IRCByte.lf]
        guard line.count - tagsLength <= Self.maxLineLength else {
            throw IRCError(.lineTooLong, "the line takes \(line.count - tagsLength) bytes with CRLF (at most \(Self.maxLineLength))")
        }
        return line
    }

    static func isForbiddenInWord(_ byte: UInt8) -> Bool {
        byte == IRCByte.space || byte == IRCByte.nul || byte == IRCByte.cr || byte == IRCByte.lf
    }

    static func escapeTagValue(_ value: String) -> [UInt8] {
        var output: [UInt8] = []
        for byte in value.utf8 {
            switch byte {
            case IRCByte.semicolon: output += [IRCByte.backslash, IRCByte.colon]
            case IRCByte.space: output += [IRCByte.backslash, UInt8(ascii: "s")]
            case IRCByte.backslash: output += [IRCByte.backslash, IRCByte.backslash]
            case IRCByte.cr: output += [IRCByte.backslash, UInt8(ascii: "r")]
            case IRCByte.lf: output += [IRCByte.backslash, UInt8(ascii: "n")]
            default: output.append(byte)
            }
        }
        return output
    }
}
