import NIOCore

/// Cuts the server's byte stream into lines, without their terminators.
///
/// Lines end at LF, CR or CRLF (ngIRCd, like most servers, reads a lone CR as a line end too); empty lines
/// are skipped. A line may take 510 bytes before its CRLF, or 8191 more for an IRCv3 tag section; a longer
/// one, terminated or not, is an error (the connection is closed and re-established), so a broken or hostile
/// server cannot make us buffer without bound.
struct IRCLineDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    static let maxLineLength = IRCMessage.maxLineLength - 2
    static let maxTaggedLineLength = IRCMessage.maxTagsLength + IRCMessage.maxLineLength - 2

    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        while buffer.readableBytes > 0 {
            let limit = buffer.readableBytesView.first == IRCByte.at ? Self.maxTaggedLineLength : Self.maxLineLength
            guard let end = buffer.readableBytesView.firstIndex(where: { $0 == IRCByte.lf || $0 == IRCByte.cr }) else {
                if buffer.readableBytes > limit { throw Self.tooLong(buffer.readableBytes, limit) }
                return nil
            }
            let length = end - buffer.readerIndex
            guard length <= limit else { throw Self.tooLong(length, limit) }
            let line = buffer.readSlice(length: length)
            buffer.moveReaderIndex(forwardBy: 1)
            if let line, line.readableBytes > 0 { return line }
        }
        return nil
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        // An unterminated tail at EOF is not a complete message: drop it.
        try decode(buffer: &buffer)
    }

    static func tooLong(_ length: Int, _ limit: Int) -> IRCError {
        IRCError(.lineTooLong, "the server sent a line of more than \(limit) bytes (\(length) without its end)")
    }
}
