import Foundation
import NIOCore
import StewardProtocol

/// The event language of `FuzzSessionStateMachines`: what a connection shell feeds its state machines.
///
/// Input: one byte choosing the TLS peer of the controller side (0 anonymous, otherwise a certified
/// agent), then events. Each event is an opcode byte and its operands; a shell decision (registry
/// verdict, enrollment outcome) takes one more byte at the moment the state machine asks for it,
/// exactly as the real shell answers before it reads the next message.
public enum SessionEvent: Sendable, Equatable {
    /// A message from the peer: both state machines receive it.
    case received(StewardMessage)
    /// Time passes, then the heartbeat timer fires on both sides.
    case timerFired(afterMilliseconds: Int64)
    /// Time passes without a timer.
    case wait(milliseconds: Int64)
    /// The controller drops the agent (shutdown, revocation).
    case goAway(retryAfterMilliseconds: UInt32)

    enum Opcode: UInt8, CaseIterable {
        case rawMessage, templateMessage, timerFired, wait, goAway
    }

    /// The next event, or nil at the end of the input. Raw messages that do not decode are skipped:
    /// the real shell closes on them before any state machine sees them.
    static func next(from input: inout FuzzInput) -> SessionEvent? {
        while !input.isAtEnd {
            switch Opcode(rawValue: input.byte() % UInt8(Opcode.allCases.count)) ?? .rawMessage {
            case .rawMessage:
                var frame = ByteBuffer()
                frame.writeBytes(input.shortBytes())
                if let message = try? MessageCodec.decode(frame: frame) { return .received(message) }
            case .templateMessage:
                return .received(template(&input))
            case .timerFired:
                return .timerFired(afterMilliseconds: Int64(input.integer(UInt16.self)) * 16)
            case .wait:
                return .wait(milliseconds: Int64(input.integer(UInt16.self)))
            case .goAway:
                return .goAway(retryAfterMilliseconds: input.integer(UInt32.self))
            }
        }
        return nil
    }

    private static let samples = SampleMessages.all

    /// A sample message of the kind the next byte picks, with the fields that steer a session taken from the input.
    static func template(_ input: inout FuzzInput) -> StewardMessage {
        switch input.choose(samples) {
        case .hello(var hello):
            hello.minVersion = UInt32(input.byte() % 4)
            hello.maxVersion = UInt32(input.byte() % 4)
            return .hello(hello)
        case .welcome(var welcome):
            welcome.version = UInt32(input.byte() % 4)
            welcome.heartbeatIntervalMs = input.integer(UInt32.self)
            return .welcome(welcome)
        case .ping(var ping):
            ping.nonce = UInt64(input.byte())
            return .ping(ping)
        case .pong(var pong):
            pong.nonce = UInt64(input.byte())
            return .pong(pong)
        case .goAway(var goAway):
            goAway.retryAfterMs = input.integer(UInt32.self)
            return .goAway(goAway)
        case .error(var error):
            error.code = Wire.ErrorCode(rawValue: Int(input.byte() % 8)) ?? .unspecified
            return .error(error)
        case let message:
            return message
        }
    }
}

/// Writes `SessionEvent` inputs, for seeds and regression tests.
public struct SessionScript: Sendable {
    public private(set) var builder = FuzzInputBuilder()

    public init(anonymous: Bool) {
        builder.byte(anonymous ? 0 : 1)
    }

    public var bytes: [UInt8] { builder.bytes }

    /// A message as its encoded envelope (at most 255 bytes).
    public mutating func receive(_ message: StewardMessage) throws {
        var frame = ByteBuffer()
        try MessageCodec.encode(message, into: &frame)
        builder.byte(SessionEvent.Opcode.rawMessage.rawValue)
        builder.shortBytes(Array(frame.readableBytesView.dropFirst(4)))
    }

    public mutating func timerFired(afterMilliseconds milliseconds: Int) {
        builder.byte(SessionEvent.Opcode.timerFired.rawValue)
        builder.integer(UInt16(clamping: milliseconds / 16))
    }

    public mutating func wait(milliseconds: Int) {
        builder.byte(SessionEvent.Opcode.wait.rawValue)
        builder.integer(UInt16(clamping: milliseconds))
    }

    public mutating func goAway(retryAfterMilliseconds: UInt32) {
        builder.byte(SessionEvent.Opcode.goAway.rawValue)
        builder.integer(retryAfterMilliseconds)
    }

    /// The shell's answer to the pending `authorize` or `enroll`.
    public mutating func decide(accept: Bool) {
        builder.byte(accept ? 1 : 0)
    }
}
