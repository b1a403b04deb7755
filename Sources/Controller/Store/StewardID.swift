import Foundation
import Synchronization

/// Time-ordered identifiers (ULIDs): 26 Crockford base32 characters, 48-bit milliseconds then 80 random bits.
///
/// Text order equals creation order, so `ORDER BY id` is chronological and an id can serve as a paging cursor.
public enum StewardID {
    /// The Crockford base32 alphabet (no I, L, O, U), in ascending ASCII order so text order is numeric order.
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The number of characters in an id.
    public static let length = 26

    /// The largest timestamp a ULID can carry (2^48 - 1 ms, in the year 10889).
    static let maxMilliseconds: UInt64 = (1 << 48) - 1

    /// Monotonicity within a millisecond needs memory of the last id; a process-wide generator is the
    /// one piece of shared state here (like the logging bootstrap), and it is lock-protected.
    private static let shared = StewardIDGenerator()

    /// A new id for `now`, strictly greater than every id this process made before.
    public static func make(now: Date) -> String {
        shared.make(now: now)
    }

    /// Whether `text` is a well-formed id (26 upper-case Crockford characters, first one at most "7").
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == length, let first = bytes.first, first <= UInt8(ascii: "7") else {
            return false
        }
        return bytes.allSatisfy { alphabet.contains($0) }
    }

    /// The creation time encoded in a valid id, or `nil` for malformed text.
    public static func timestamp(of text: String) -> Date? {
        guard isValid(text) else { return nil }
        var milliseconds: UInt64 = 0
        for byte in text.utf8.prefix(10) {
            guard let digit = alphabet.firstIndex(of: byte) else { return nil }
            milliseconds = milliseconds << 5 | UInt64(digit)
        }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// Encodes the 128-bit value (time in the top 48 bits) as 26 characters, most significant first.
    static func encode(milliseconds: UInt64, random: UInt128) -> String {
        let value = UInt128(milliseconds) << 80 | (random & ((1 << 80) - 1))
        var characters = [UInt8](repeating: 0, count: length)
        for index in 0..<length {
            let shift = UInt128(5 * (length - 1 - index))
            characters[index] = alphabet[Int((value >> shift) & 0x1F)]
        }
        return String(decoding: characters, as: UTF8.self)
    }
}

/// Makes ULIDs that are strictly increasing even when several are made in one millisecond
/// or the clock steps backwards.
public final class StewardIDGenerator: Sendable {
    private struct State {
        var milliseconds: UInt64 = 0
        var random: UInt128 = 0
    }

    private static let randomMask: UInt128 = (1 << 80) - 1

    private let state = Mutex(State())
    private let randomBits: @Sendable () -> UInt128

    /// - Parameter randomBits: the source of the 80 random bits (only the low 80 bits are used);
    ///   injectable so tests can force overflow paths.
    public init(randomBits: @escaping @Sendable () -> UInt128 = { UInt128.random(in: 0...UInt128.max) }) {
        self.randomBits = randomBits
    }

    /// A new id for `now`, strictly greater than every id this generator made before.
    public func make(now: Date) -> String {
        let wallClock = Self.milliseconds(of: now)
        let fresh = randomBits() & Self.randomMask
        return state.withLock { state in
            if wallClock > state.milliseconds {
                state.milliseconds = wallClock
                state.random = fresh
            } else if state.random < Self.randomMask {
                // Same millisecond (or the clock went back): keep the previous time and count up,
                // as the ULID spec's monotonic mode does, so ids stay sortable.
                state.random += 1
            } else {
                // 2^80 ids in one millisecond cannot happen honestly; borrowing the next millisecond
                // keeps the order without failing.
                state.milliseconds = min(state.milliseconds + 1, StewardID.maxMilliseconds)
                state.random = 0
            }
            return StewardID.encode(milliseconds: state.milliseconds, random: state.random)
        }
    }

    static func milliseconds(of date: Date) -> UInt64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard value.isFinite, value > 0 else { return 0 }
        guard value < Double(StewardID.maxMilliseconds) else { return StewardID.maxMilliseconds }
        return UInt64(value)
    }
}
