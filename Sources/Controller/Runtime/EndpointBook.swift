import Foundation
import NIOCore
import StewardProtocol

/// Collects the addresses the listeners bound and publishes them to `controller.json`.
actor EndpointBook {
    private let stateDirectory: ControllerStateDirectory
    private let advertiseOverride: String?
    private var agentAddress: SocketAddress?
    private var apiAddress: SocketAddress?
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var apiWaiters: [CheckedContinuation<Void, Never>] = []

    init(stateDirectory: ControllerStateDirectory, advertiseOverride: String?) {
        self.stateDirectory = stateDirectory
        self.advertiseOverride = advertiseOverride
    }

    func agentsBound(_ address: SocketAddress) {
        agentAddress = address
        publishIfReady()
    }

    func apiBound(_ address: SocketAddress) {
        apiAddress = address
        publishIfReady()
    }

    /// The `host:port` agents should dial; waits until the gateway is bound.
    func advertised() async -> String {
        if agentAddress == nil {
            await withCheckedContinuation { waiters.append($0) }
        }
        return Self.advertised(agentAddress, override: advertiseOverride)
    }

    /// The API's base URL; waits until the HTTP server is bound.
    func apiURL() async -> String {
        if apiAddress == nil {
            await withCheckedContinuation { apiWaiters.append($0) }
        }
        return apiAddress.map { "http://\(Self.hostPort($0))" } ?? "http://127.0.0.1:7080"
    }

    private func publishIfReady() {
        if apiAddress != nil {
            for waiter in apiWaiters { waiter.resume() }
            apiWaiters.removeAll()
        }
        if agentAddress != nil {
            for waiter in waiters { waiter.resume() }
            waiters.removeAll()
        }
        guard let agentAddress, let apiAddress else { return }
        let endpoints = ControllerEndpoints(
            api: "http://\(Self.hostPort(apiAddress))",
            agents: Self.hostPort(agentAddress),
            advertised: Self.advertised(agentAddress, override: advertiseOverride),
            pid: getpid())
        if let data = try? JSONEncoder().encode(endpoints) {
            try? SecureFile.write(Array(data), to: stateDirectory.endpoints, mode: 0o600)
        }
    }

    static func hostPort(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "127.0.0.1"
        let port = address.port ?? 0
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    static func advertised(_ address: SocketAddress?, override: String?) -> String {
        if let override { return override }
        guard let address else { return "127.0.0.1:7443" }
        let host = address.ipAddress ?? "0.0.0.0"
        if host == "0.0.0.0" || host == "::" {
            var name = [CChar](repeating: 0, count: 256)
            gethostname(&name, name.count)
            return "\(String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)):\(address.port ?? 7443)"
        }
        return hostPort(address)
    }
}
