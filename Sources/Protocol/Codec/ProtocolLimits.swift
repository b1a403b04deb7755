/// Size limits of the wire protocol, enforced before anything is buffered.
public struct ProtocolLimits: Sendable, Hashable {
    /// Largest accepted frame body (the protobuf envelope), in bytes.
    public var maxFrameLength: Int
    /// Largest output chunk a sender puts in one `Output` message.
    public var maxOutputChunk: Int

    public init(maxFrameLength: Int = 1 << 20, maxOutputChunk: Int = 64 << 10) {
        precondition(maxFrameLength > 0 && maxOutputChunk > 0 && maxOutputChunk < maxFrameLength)
        self.maxFrameLength = maxFrameLength
        self.maxOutputChunk = maxOutputChunk
    }

    public static let `default` = ProtocolLimits()
}

/// Protocol versions this build speaks.
public enum ProtocolVersion {
    public static let minimum: UInt32 = 1
    public static let maximum: UInt32 = 1

    /// The highest version both ranges contain, or nil when they do not overlap.
    public static func negotiate(peerMinimum: UInt32, peerMaximum: UInt32) -> UInt32? {
        let high = min(maximum, peerMaximum)
        let low = max(minimum, peerMinimum)
        return low <= high ? high : nil
    }
}
