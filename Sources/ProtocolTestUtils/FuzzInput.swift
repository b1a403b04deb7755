/// Reads structured choices out of fuzzer bytes.
///
/// Once the bytes run out every read returns zeros, so any input is a valid program: the fuzzer
/// never wastes executions on inputs a harness would reject.
public struct FuzzInput: Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var isAtEnd: Bool { offset >= bytes.count }
    public var remaining: Int { max(0, bytes.count - offset) }

    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A big-endian integer made of the next `size` bytes.
    public mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) -> T {
        var value: T = 0
        for _ in 0..<MemoryLayout<T>.size { value = value << 8 | T(truncatingIfNeeded: byte()) }
        return value
    }

    /// Up to `count` bytes (fewer when the input ends first).
    public mutating func bytes(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, offset + max(0, count))
        defer { offset = max(offset, end) }
        return offset < end ? Array(bytes[offset..<end]) : []
    }

    /// A length byte followed by that many bytes.
    public mutating func shortBytes() -> [UInt8] { bytes(Int(byte())) }

    public mutating func rest() -> [UInt8] { bytes(remaining) }

    public mutating func choose<T>(_ options: [T]) -> T {
        precondition(!options.isEmpty)
        return options[Int(byte()) % options.count]
    }
}

/// Writes what `FuzzInput` reads, for building seed inputs that mean something.
public struct FuzzInputBuilder: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    public mutating func integer<T: FixedWidthInteger>(_ value: T) {
        for shift in stride(from: (MemoryLayout<T>.size - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    public mutating func raw(_ values: [UInt8]) { bytes += values }

    public mutating func shortBytes(_ values: [UInt8]) {
        precondition(values.count <= 255, "shortBytes holds at most 255 bytes")
        bytes.append(UInt8(values.count))
        bytes += values
    }
}
