/// Which of the child's output streams a chunk came from.
public enum OutputStreamKind: String, Sendable, Hashable, CaseIterable {
    case stdout
    case stderr
}

/// A piece of a child's output, delivered as soon as it is read.
///
/// `offset` counts the bytes of the same stream delivered before this chunk, so the offsets of one
/// stream are contiguous and a receiver can detect gaps and replays.
public struct OutputChunk: Sendable, Hashable {
    /// The largest chunk ever delivered; it matches the wire protocol's output frame size.
    public static let maxSize = 64 * 1024

    public var stream: OutputStreamKind
    public var offset: UInt64
    public var data: [UInt8]

    public init(stream: OutputStreamKind, offset: UInt64, data: [UInt8]) {
        self.stream = stream
        self.offset = offset
        self.data = data
    }
}

/// Receives output chunks in order per stream; awaiting it applies back-pressure to the child.
public typealias OutputSink = @Sendable (OutputChunk) async -> Void

/// Told the process group id of a command as soon as it runs.
public typealias ProcessStarted = @Sendable (Int32) -> Void
