import NIOCore

/// Frame decoder that yields messages; usable in a pipeline or on an async byte stream.
public struct StewardMessageDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = StewardMessage

    private var frames: FrameDecoder

    public init(limits: ProtocolLimits = .default) {
        self.frames = FrameDecoder(maxFrameLength: limits.maxFrameLength)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> StewardMessage? {
        guard let frame = try frames.decode(buffer: &buffer) else { return nil }
        return try MessageCodec.decode(frame: frame)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> StewardMessage? {
        guard let frame = try frames.decodeLast(buffer: &buffer, seenEOF: seenEOF) else { return nil }
        return try MessageCodec.decode(frame: frame)
    }
}

/// Frame encoder for outgoing messages.
public struct StewardMessageEncoder: MessageToByteEncoder {
    public typealias OutboundIn = StewardMessage

    private let limits: ProtocolLimits

    public init(limits: ProtocolLimits = .default) {
        self.limits = limits
    }

    public func encode(data: StewardMessage, out: inout ByteBuffer) throws {
        try MessageCodec.encode(data, into: &out, maxFrameLength: limits.maxFrameLength)
    }
}
