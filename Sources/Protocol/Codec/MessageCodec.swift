import NIOCore
import SwiftProtobuf

/// Pure conversion between messages and frames.
public enum MessageCodec {
    /// Parses one frame body into a message.
    public static func decode(frame: ByteBuffer) throws -> StewardMessage {
        let envelope: Wire.Envelope
        do {
            envelope = try Wire.Envelope(serializedBytes: Array(frame.readableBytesView))
        } catch {
            throw ProtocolError(.malformedMessage, "frame is not a valid envelope: \(error)")
        }
        guard let message = envelope.message else {
            throw ProtocolError(.unknownMessage, "envelope carries no message this version knows")
        }
        return message
    }

    /// Writes `length | envelope` for one message, refusing to produce a frame the peer would reject.
    public static func encode(
        _ message: StewardMessage,
        into buffer: inout ByteBuffer,
        maxFrameLength: Int = ProtocolLimits.default.maxFrameLength
    ) throws {
        var envelope = Wire.Envelope()
        envelope.message = message
        let body: [UInt8] = try envelope.serializedBytes()
        guard !body.isEmpty, body.count <= maxFrameLength else {
            throw ProtocolError(.frameTooLarge, "\(message.name) of \(body.count) bytes exceeds the frame limit")
        }
        buffer.writeInteger(UInt32(body.count))
        buffer.writeBytes(body)
    }

    /// Encodes one message as a standalone frame.
    public static func frame(_ message: StewardMessage, allocator: ByteBufferAllocator = .init()) throws -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        try encode(message, into: &buffer)
        return buffer
    }
}
