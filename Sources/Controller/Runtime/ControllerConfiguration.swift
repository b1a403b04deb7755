import Foundation
import StewardProtocol

/// How a controller is set up: where it keeps state and where it listens.
public struct ControllerConfiguration: Sendable {
    public var stateDirectory: String
    public var agentHost: String = "0.0.0.0"
    public var agentPort: Int = 7443
    public var apiHost: String = "127.0.0.1"
    public var apiPort: Int = 7080
    /// `host:port` written into join tokens; derived from the bound address when nil.
    public var advertisedAddress: String?
    public var heartbeat: HeartbeatPolicy = .default
    public var agentCertificateValidity: Duration = .seconds(30 * 86_400)
    /// How long a running job's agent may stay away after the job's timeout before the run is `lost`.
    public var resultGrace: Duration = .seconds(600)
    public var housekeepingInterval: Duration = .seconds(1)
    /// Time an API client has to send a complete request head, and to keep an idle connection open.
    public var apiHeaderTimeout: Duration = APIServer.defaultHeaderTimeout
    public var limits: ProtocolLimits = .default
    /// Connections, message rates, in-flight runs, output and retention (`ControllerLimits`).
    public var resourceLimits: ControllerLimits = .default
    /// Chat policy file (`policy.yaml`); nil = `<state dir>/policy.yaml` if present, else only the
    /// console's admin may act (see `ChatSetup.defaultPolicy`).
    public var policyPath: String?
    /// Custom chat commands (`commands.yaml`); nil = `<state dir>/commands.yaml` if present.
    public var commandsPath: String?
    /// Chat platform connections (`chat:` in `controller.yaml`); each is checked, and its secrets read, at start-up.
    public var chat: [ChatConnectionSettings] = []

    public init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
    }

    /// The state directory used when none is given: `STEWARD_STATE_DIR`, else a per-user or system default.
    public static func defaultStateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["STEWARD_STATE_DIR"], !explicit.isEmpty { return explicit }
        if getuid() == 0 { return "/var/lib/steward" }
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"].map { "\($0)/.local/state" } ?? "/tmp")
        return "\(base)/steward"
    }
}

/// Files inside the controller's state directory.
public struct ControllerStateDirectory: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public var pki: String { "\(root)/pki" }
    public var database: String { "\(root)/steward.sqlite" }
    public var adminToken: String { "\(root)/admin.token" }
    /// Where a running controller says which addresses it bound, for the CLI.
    public var endpoints: String { "\(root)/controller.json" }
}

/// Addresses a running controller listens on, as written to `controller.json`.
public struct ControllerEndpoints: Codable, Sendable, Hashable {
    public var api: String
    public var agents: String
    public var advertised: String
    public var pid: Int32

    public init(api: String, agents: String, advertised: String, pid: Int32) {
        self.api = api
        self.agents = agents
        self.advertised = advertised
        self.pid = pid
    }
}
