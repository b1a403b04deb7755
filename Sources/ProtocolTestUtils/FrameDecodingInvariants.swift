import NIOCore
import StewardProtocol

/// What `FuzzFrameDecoder` checks: arbitrary bytes through the frame and message decoders.
///
/// Input: one configuration byte, then the byte stream. Bits 0-1 pick the chunking (whole, one byte
/// at a time, fixed size from bits 2-4, or pseudo-random sizes), bit 5 wraps the stream in a correct
/// length header (so the fuzzer can work on envelope bytes alone), bits 6-7 pick the frame limit.
///
/// Promises checked: the decoder yields messages, asks for more (reader index untouched) or throws a
/// `ProtocolError` with a decoding code; it never holds more than one frame's worth of bytes, and a
/// header over the limit is refused at once; the outcome does not depend on how the bytes were split;
/// framing is lossless; every decoded message re-encodes and decodes to an equal value.
public enum FrameDecodingInvariants {
    static let name = FuzzTarget.frameDecoder.rawValue
    static let decodingErrors: Set<ProtocolError.Code> = [.frameTooLarge, .emptyFrame, .malformedMessage, .unknownMessage]

    public struct Configuration: Sendable, Hashable {
        public enum Chunking: UInt8, Sendable { case whole = 0, dripFed = 1, fixed = 2, random = 3 }
        public enum Limit: UInt8, Sendable { case standard = 0, tiny = 1, small = 2, medium = 3 }

        public var chunking: Chunking
        public var chunkParameter: UInt8
        public var wrapInFrame: Bool
        public var limit: Limit

        public init(chunking: Chunking, chunkParameter: UInt8 = 0, wrapInFrame: Bool = false, limit: Limit = .standard) {
            self.chunking = chunking
            self.chunkParameter = chunkParameter & 0x7
            self.wrapInFrame = wrapInFrame
            self.limit = limit
        }

        init(byte: UInt8) {
            self.init(
                chunking: Chunking(rawValue: byte & 0x3) ?? .whole, chunkParameter: (byte >> 2) & 0x7,
                wrapInFrame: byte & 0x20 != 0, limit: Limit(rawValue: byte >> 6) ?? .standard)
        }

        public var byte: UInt8 { chunking.rawValue | chunkParameter << 2 | (wrapInFrame ? 0x20 : 0) | limit.rawValue << 6 }

        var limits: ProtocolLimits {
            switch limit {
            case .standard: .default
            case .tiny: ProtocolLimits(maxFrameLength: 64, maxOutputChunk: 32)
            case .small: ProtocolLimits(maxFrameLength: 256, maxOutputChunk: 128)
            case .medium: ProtocolLimits(maxFrameLength: 4096, maxOutputChunk: 2048)
            }
        }

        /// Chunk sizes covering `total` bytes.
        func chunkSizes(total: Int) -> [Int] {
            var sizes: [Int] = []
            var left = total
            var state = UInt32(byte) &* 2_654_435_761 ^ UInt32(truncatingIfNeeded: total) | 1
            while left > 0 {
                let size: Int
                switch chunking {
                case .whole: size = left
                case .dripFed: size = 1
                case .fixed: size = Int(chunkParameter) + 2
                case .random:
                    state ^= state << 13
                    state ^= state >> 17
                    state ^= state << 5
                    size = Int(state % 17) + 1
                }
                sizes.append(min(size, left))
                left -= size
            }
            return sizes
        }
    }

    /// Builds a fuzz input from a configuration and a stream.
    public static func input(_ configuration: Configuration, stream: [UInt8]) -> [UInt8] {
        [configuration.byte] + stream
    }

    public static func check(_ data: [UInt8]) throws {
        var input = FuzzInput(data)
        let configuration = Configuration(byte: input.byte())
        var stream = input.rest()
        if configuration.wrapInFrame {
            var framed = FuzzInputBuilder()
            framed.integer(UInt32(stream.count))
            framed.raw(stream)
            stream = framed.bytes
        }
        let limits = configuration.limits
        let whole = try decode(stream, chunkSizes: [stream.count], limits: limits)
        let split = try decode(stream, chunkSizes: configuration.chunkSizes(total: stream.count), limits: limits)
        try invariant(whole == split, name, "chunking changed the outcome: whole \(whole), split \(split)")
        for message in whole.messages { try checkRoundTrip(message) }
        try checkFraming(stream, maxFrameLength: limits.maxFrameLength)
    }

    /// Messages decoded before the stream ended or failed, and how it ended.
    struct Outcome: Equatable, CustomStringConvertible {
        var messages: [StewardMessage] = []
        var error: ProtocolError.Code?

        var description: String { "\(messages.map(\.name)) then \(error.map { "\($0)" } ?? "end")" }
    }

    static func decode(_ stream: [UInt8], chunkSizes: [Int], limits: ProtocolLimits) throws -> Outcome {
        var decoder = StewardMessageDecoder(limits: limits)
        var buffer = ByteBuffer()
        var outcome = Outcome()
        var offset = 0
        for size in chunkSizes {
            buffer.writeBytes(stream[offset..<(offset + size)])
            offset += size
            while true {
                let readerIndex = buffer.readerIndex
                let message: StewardMessage?
                do {
                    message = try decoder.decode(buffer: &buffer)
                } catch {
                    outcome.error = try decodingErrorCode(error)
                    return outcome
                }
                guard let message else {
                    try invariant(buffer.readerIndex == readerIndex, name, "decoder moved the reader index, then asked for more")
                    try checkWaiting(buffer, limits: limits)
                    break
                }
                try invariant(buffer.readerIndex > readerIndex, name, "decoder yielded \(message.name) without consuming bytes")
                outcome.messages.append(message)
            }
        }
        // End of stream: nothing complete is left, so the decoder must report leftovers as truncation.
        do {
            let last = try decoder.decodeLast(buffer: &buffer, seenEOF: true)
            try invariant(last == nil, name, "decodeLast found a message that decode missed")
            try invariant(buffer.readableBytes == 0, name, "decodeLast returned nil with \(buffer.readableBytes) bytes left")
        } catch let error as ProtocolError {
            try invariant(error.code == .truncatedFrame, name, "decodeLast threw \(error), expected truncated_frame")
            try invariant(buffer.readableBytes > 0, name, "decodeLast reported truncation of an empty buffer")
            outcome.error = error.code
        }
        return outcome
    }

    /// While waiting for more bytes the decoder holds less than one frame, and the announced length is acceptable.
    static func checkWaiting(_ buffer: ByteBuffer, limits: ProtocolLimits) throws {
        let held = buffer.readableBytes
        try invariant(held < 4 + limits.maxFrameLength, name, "decoder waits with \(held) bytes buffered, over one frame")
        if let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) {
            try invariant(
                length > 0 && Int(length) <= limits.maxFrameLength, name,
                "decoder waits for the body of a \(length)-byte frame instead of refusing it")
        }
    }

    static func decodingErrorCode(_ error: any Error) throws -> ProtocolError.Code {
        guard let error = error as? ProtocolError else {
            throw InvariantViolation(name, "decoder threw \(type(of: error)), not a ProtocolError: \(error)")
        }
        try invariant(decodingErrors.contains(error.code), name, "decoder threw unexpected code \(error.code)")
        return error.code
    }

    /// A decoded message survives encode → decode unchanged, so what we accept we can also relay and log.
    static func checkRoundTrip(_ message: StewardMessage) throws {
        var frame = ByteBuffer()
        do {
            try MessageCodec.encode(message, into: &frame, maxFrameLength: Int(UInt32.max))
        } catch {
            throw InvariantViolation(name, "decoded \(message.name) does not encode again: \(error)")
        }
        var decoder = StewardMessageDecoder()
        let again: StewardMessage?
        do {
            again = try decoder.decode(buffer: &frame)
        } catch {
            throw InvariantViolation(name, "re-encoded \(message.name) does not decode: \(error)")
        }
        try invariant(again == message, name, "\(message.name) changed in an encode/decode round trip")
        try invariant(frame.readableBytes == 0, name, "re-encoded \(message.name) left \(frame.readableBytes) bytes")
    }

    /// The frame decoder alone: frames are within the limit and header plus frames rebuild the consumed bytes exactly.
    static func checkFraming(_ stream: [UInt8], maxFrameLength: Int) throws {
        var decoder = FrameDecoder(maxFrameLength: maxFrameLength)
        var buffer = ByteBuffer(bytes: stream)
        var rebuilt = FuzzInputBuilder()
        while true {
            let readerIndex = buffer.readerIndex
            let frame: ByteBuffer?
            do {
                frame = try decoder.decode(buffer: &buffer)
            } catch {
                _ = try decodingErrorCode(error)
                try invariant(buffer.readerIndex == readerIndex, name, "frame decoder threw after moving the reader index")
                return
            }
            guard let frame else {
                try invariant(buffer.readerIndex == readerIndex, name, "frame decoder moved the reader index, then asked for more")
                return
            }
            try invariant(
                (1...maxFrameLength).contains(frame.readableBytes), name,
                "frame of \(frame.readableBytes) bytes passed a limit of \(maxFrameLength)")
            rebuilt.integer(UInt32(frame.readableBytes))
            rebuilt.raw(Array(frame.readableBytesView))
            try invariant(
                rebuilt.bytes[...] == stream[..<buffer.readerIndex], name, "frames do not rebuild the bytes they were cut from")
        }
    }
}
