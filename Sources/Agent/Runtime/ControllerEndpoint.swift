/// A controller address, "host:port" or "[v6]:port", as stored in `agent.json` and join tokens.
public struct ControllerEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing address: String) throws {
        guard let colon = address.lastIndex(of: ":"),
            let port = Int(address[address.index(after: colon)...]), (1...65_535).contains(port)
        else {
            throw AgentRuntimeError(.invalidArgument, "controller address '\(address.prefix(300))' is not host:port")
        }
        var host = Substring(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = host.dropFirst().dropLast()
        }
        guard !host.isEmpty else {
            throw AgentRuntimeError(.invalidArgument, "controller address '\(address.prefix(300))' has no host")
        }
        self.host = String(host)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
