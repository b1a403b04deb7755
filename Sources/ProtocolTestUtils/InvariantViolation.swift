/// A hostile input made the protocol library break one of its promises.
///
/// Fuzz targets turn it into a crash (so libFuzzer saves the input); `FuzzRegressionTests` report it.
public struct InvariantViolation: Error, Sendable, CustomStringConvertible {
    public var target: String
    public var message: String

    public init(_ target: String, _ message: String) {
        self.target = target
        self.message = message
    }

    public var description: String { "\(target): \(message)" }
}

/// `precondition` for input-driven invariants: throws instead of trapping so tests can report it.
@inline(__always)
func invariant(
    _ condition: @autoclosure () -> Bool, _ target: String, _ message: @autoclosure () -> String
) throws(InvariantViolation) {
    if !condition() { throw InvariantViolation(target, message()) }
}
