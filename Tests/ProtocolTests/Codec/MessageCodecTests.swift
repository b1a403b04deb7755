import Foundation
import NIOCore
import NIOTestUtils
import StewardProtocol
import StewardProtocolTestUtils
import Testing

@Suite struct MessageCodecTests {
    @Test func everyMessageRoundTrips() throws {
        let messages = SampleMessages.all
        #expect(messages.count == 19, "one sample per message in the envelope")
        for message in messages {
            var buffer = try MessageCodec.frame(message)
            var decoder = StewardMessageDecoder()
            let decoded = try #require(try decoder.decode(buffer: &buffer))
            #expect(decoded == message, "\(message.name)")
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test func pingHasGoldenBytes() throws {
        var ping = Wire.Ping()
        ping.nonce = 1
        let frame = try MessageCodec.frame(.ping(ping))
        // length 4 | field 5 (ping), length 2 | field 1 varint 1
        #expect(Array(frame.readableBytesView) == [0, 0, 0, 4, 0x2A, 0x02, 0x08, 0x01])
    }

    @Test func resultAckHasGoldenBytes() throws {
        var ack = Wire.ResultAck()
        ack.jobID = "J1"
        let frame = try MessageCodec.frame(.resultAck(ack))
        // length 6 | field 13 (0x6A), length 4 | field 1 string "J1"
        #expect(Array(frame.readableBytesView) == [0, 0, 0, 6, 0x6A, 0x04, 0x0A, 0x02, 0x4A, 0x31])
    }

    @Test func dripFedAndBatchedInputDecodesTheSameMessages() throws {
        let messages = SampleMessages.all
        let pairs = try messages.map { (try MessageCodec.frame($0), [$0]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            StewardMessageDecoder()
        }
    }

    @Test func decodesOneByteAtATime() throws {
        var all = ByteBuffer()
        for message in SampleMessages.all { try MessageCodec.encode(message, into: &all) }
        var decoder = StewardMessageDecoder()
        var pending = ByteBuffer()
        var decoded: [StewardMessage] = []
        for byte in all.readableBytesView {
            pending.writeInteger(byte)
            while let message = try decoder.decode(buffer: &pending) {
                decoded.append(message)
            }
        }
        #expect(decoded == SampleMessages.all)
    }

    @Test func rejectsFrameLargerThanLimitBeforeBuffering() {
        var decoder = StewardMessageDecoder(limits: ProtocolLimits(maxFrameLength: 1024, maxOutputChunk: 512))
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(1025))  // only the header: the body never needs to arrive
        #expect(throws: ProtocolError.self) { try decoder.decode(buffer: &buffer) }
        do {
            _ = try decoder.decode(buffer: &buffer)
        } catch let error as ProtocolError {
            #expect(error.code == .frameTooLarge)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func defaultLimitIsOneMebibyte() {
        var decoder = FrameDecoder()
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(1 << 20))
        #expect((try? decoder.decode(buffer: &buffer)) == .some(nil), "exactly 1 MiB waits for its body")
        var over = ByteBuffer()
        over.writeInteger(UInt32((1 << 20) + 1))
        #expect(errorCode { try decoder.decode(buffer: &over) } == .frameTooLarge)
    }

    @Test func rejectsEmptyFrame() {
        var decoder = FrameDecoder()
        var buffer = ByteBuffer(bytes: [0, 0, 0, 0])
        #expect(errorCode { try decoder.decode(buffer: &buffer) } == .emptyFrame)
    }

    @Test func rejectsTruncatedFrameAtEndOfStream() throws {
        var frame = try MessageCodec.frame(SampleMessages.all[2])
        frame.moveWriterIndex(to: frame.writerIndex - 3)
        var decoder = StewardMessageDecoder()
        #expect(try decoder.decode(buffer: &frame) == nil)
        #expect(errorCode { try decoder.decodeLast(buffer: &frame, seenEOF: true) } == .truncatedFrame)
    }

    @Test func rejectsGarbageBody() {
        var decoder = StewardMessageDecoder()
        var buffer = ByteBuffer(bytes: [0, 0, 0, 3, 0xFF, 0xFF, 0xFF])
        #expect(errorCode { try decoder.decode(buffer: &buffer) } == .malformedMessage)
    }

    @Test func rejectsUnknownMessageNumber() {
        // field 99, varint 1: a message from a future version this one does not know
        var decoder = StewardMessageDecoder()
        var buffer = ByteBuffer(bytes: [0, 0, 0, 3, 0x98, 0x06, 0x01])
        #expect(errorCode { try decoder.decode(buffer: &buffer) } == .unknownMessage)
    }

    @Test func encoderRefusesMessageOverTheLimit() {
        var output = Wire.Output()
        output.jobID = "J"
        output.data = Data(repeating: 0x41, count: 2048)
        var buffer = ByteBuffer()
        #expect(errorCode { try MessageCodec.encode(.output(output), into: &buffer, maxFrameLength: 1024) } == .frameTooLarge)
        #expect(buffer.readableBytes == 0, "nothing half-written")
    }
}

func errorCode(_ body: () throws -> Any?) -> ProtocolError.Code? {
    do {
        _ = try body()
        return nil
    } catch let error as ProtocolError {
        return error.code
    } catch {
        return nil
    }
}
