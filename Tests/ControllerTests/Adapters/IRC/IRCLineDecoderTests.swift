import NIOCore
import Testing
@testable import StewardController

/// The byte stream cut into lines: drip-fed or batched, any terminator, with a hard size cap.
@Suite struct IRCLineDecoderTests {
    /// Feeds `chunks` one after another, as the network would, and collects the lines.
    static func lines(_ chunks: [[UInt8]]) throws -> [String] {
        var decoder = IRCLineDecoder()
        var buffer = ByteBuffer()
        var lines: [String] = []
        for chunk in chunks {
            buffer.writeBytes(chunk)
            while let line = try decoder.decode(buffer: &buffer) {
                lines.append(String(buffer: line))
            }
        }
        return lines
    }

    static let stream = Array(":s 001 n :hi\r\nPING :x\nPRIVMSG #a :b\r\r\n\r\nQUIT\r".utf8)
    static let expected = [":s 001 n :hi", "PING :x", "PRIVMSG #a :b", "QUIT"]

    @Test func batchedAndDripFedInputGiveTheSameLines() throws {
        #expect(try Self.lines([Self.stream]) == Self.expected)
        #expect(try Self.lines(Self.stream.map { [$0] }) == Self.expected)
        #expect(try Self.lines(stride(from: 0, to: Self.stream.count, by: 5).map { Array(Self.stream[$0..<min($0 + 5, Self.stream.count)]) })
            == Self.expected)
    }

    @Test func aPartialLineWaitsForItsEnd() throws {
        #expect(try Self.lines([Array("PING :par".utf8)]).isEmpty)
        #expect(try Self.lines([Array("PING :par".utf8), Array("tial\r\n".utf8)]) == ["PING :partial"])
    }

    @Test func anOverlongLineIsAnErrorEvenBeforeItEnds() throws {
        let long = Array(repeating: UInt8(ascii: "a"), count: 511)
        #expect(throws: IRCError.self) { try Self.lines([long]) }
        #expect(throws: IRCError.self) { try Self.lines([long + [UInt8(ascii: "\n")]]) }
        #expect(try Self.lines([Array(repeating: UInt8(ascii: "a"), count: 510) + Array("\r\n".utf8)]).first?.count == 510)
    }

    @Test func aTaggedLineMayBeLonger() throws {
        let tagged = [UInt8(ascii: "@")] + Array(repeating: UInt8(ascii: "t"), count: 1000) + Array(" PING x\r\n".utf8)
        #expect(try Self.lines([tagged]).count == 1)
        let huge = [UInt8(ascii: "@")] + Array(repeating: UInt8(ascii: "t"), count: 9000)
        #expect(throws: IRCError.self) { try Self.lines([huge]) }
    }

    @Test func anUnterminatedTailAtEOFIsDropped() throws {
        var decoder = IRCLineDecoder()
        var buffer = ByteBuffer(string: "PING :a\r\nPIN")
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true).map { String(buffer: $0) } == "PING :a")
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
    }
}
