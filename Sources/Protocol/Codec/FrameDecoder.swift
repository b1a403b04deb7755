import NIOCore

/// Splits a byte stream into frames: `u32 big-endian length | body`.
///
/// The length is checked against the limit as soon as its four bytes arrive, so an oversized
/// frame is refused before any of its body is buffered. Returns nil while more bytes are needed;
/// the reader index is left untouched until a whole frame is available.
public struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maxFrameLength: Int

    public init(maxFrameLength: Int = ProtocolLimits.default.maxFrameLength) {
        self.maxFrameLength = maxFrameLength
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        guard length > 0 else { throw ProtocolError(.emptyFrame, "frame of length 0") }
        guard length <= maxFrameLength else {
            throw ProtocolError(.frameTooLarge, "frame of \(length) bytes exceeds the limit of \(maxFrameLength)")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(length))
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        if let frame = try decode(buffer: &buffer) { return frame }
        if buffer.readableBytes > 0 {
            throw ProtocolError(.truncatedFrame, "connection closed inside a frame (\(buffer.readableBytes) bytes left)")
        }
        return nil
    }
}
