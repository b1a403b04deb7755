/// An operation the agent may perform on a service unit through the service manager.
public enum ServiceOperation: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case status
    case start
    case stop
    case restart

    public var description: String { rawValue }
}
