/// Comparisons whose running time does not depend on where secret inputs differ.
public enum ConstantTime {
    /// True when both arrays hold the same bytes. Lengths are not secret: arrays of different
    /// lengths return early, but equal-length arrays are always compared in full.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
